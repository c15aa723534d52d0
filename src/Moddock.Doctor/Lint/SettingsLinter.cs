using System.Text.RegularExpressions;
using Moddock.Doctor.Probes.Net;
using Moddock.Doctor.Reporting;
using Moddock.Doctor.Settings;
using Moddock.Modules;

namespace Moddock.Doctor.Lint;

/// <summary>
/// Checks the settings before any packet is sent, collecting every problem (like a config validator):
/// GOPROXY that Go would reject or that is off, a GOSUMDB Go has no key for, private-looking modules that
/// GOPRIVATE/GONOPROXY/GONOSUMDB do not cover, HTTP_PROXY without HTTPS_PROXY, dead NO_PROXY entries,
/// and lines of the go env file Go silently skips.
/// </summary>
internal static partial class SettingsLinter
{
    private static readonly string[] PublicProxies = ["proxy.golang.org", "goproxy.cn", "goproxy.io", "mirrors.aliyun.com", "goproxy.baidu.com"];

    public static IReadOnlyList<DoctorCheck> Lint(GoSettings s, IReadOnlyList<string> modules)
    {
        var checks = new List<DoctorCheck>();
        LintGoproxy(s, checks);
        LintGosumdb(s, checks);
        LintPrivateModules(s, modules, checks);
        LintHttpProxy(s, checks);
        LintEnvFile(s, checks);
        return checks;
    }

    private static void LintGoproxy(GoSettings s, List<DoctorCheck> checks)
    {
        var value = s["GOPROXY"];
        const string name = "lint GOPROXY";
        var fix = FixSuggestions.For(CauseIds.GoproxyInvalid, Where.Local, FixContext.None);

        // Go treats only "" as unset: a value of blanks and separators has no entries and is an error.
        if (value.Length > 0 && value.Trim(' ', '\t', ',', '|').Length == 0)
        {
            checks.Add(new DoctorCheck(name, value, Where.Local, CheckStatus.Fail, CauseIds.GoproxyInvalid, "GOPROXY list is not the empty string, but contains no entries", fix, 0));
            return;
        }

        if (!GoProxyList.TryParse(value, out var entries, out var error))
        {
            var hint = Typo(value);
            checks.Add(new DoctorCheck(name, value, Where.Local, CheckStatus.Fail, CauseIds.GoproxyInvalid, error!.Message + hint, fix, 0));
            return;
        }

        var typos = value.Split(',', '|').Select(x => x.Trim()).Where(x => x.Length > 0).Select(TypoOfHost).Where(x => x is not null).ToList();
        if (typos.Count > 0)
        {
            checks.Add(new DoctorCheck(name, value, Where.Local, CheckStatus.Warn, CauseIds.GoproxyInvalid, string.Join("; ", typos!), fix, 0));
        }

        var offAt = entries.ToList().FindIndex(e => e.Kind == ProxyEntryKind.Off);
        if (offAt == 0 || (offAt == 1 && entries[0].Kind == ProxyEntryKind.NoProxy))
        {
            checks.Add(new DoctorCheck(name, value, Where.Local, CheckStatus.Fail, CauseIds.GoproxyOff,
                "GOPROXY=off: module lookup disabled by GOPROXY=off; only the module cache" + (s["GONOPROXY"].Length > 0 ? " and GONOPROXY modules (fetched directly)" : string.Empty) + " can be used",
                FixSuggestions.For(CauseIds.GoproxyOff, Where.Local, FixContext.None), 0));
        }
        else if (offAt > 0)
        {
            checks.Add(new DoctorCheck(name, value, Where.Local, CheckStatus.Warn, CauseIds.GoproxyOff, "the list ends in off: when the entries before it say not found, the lookup stops there",
                FixSuggestions.For(CauseIds.GoproxyOff, Where.Local, FixContext.None), 0));
        }
        else if (typos.Count == 0)
        {
            checks.Add(DoctorCheck.Ok(name, value, $"{entries.Count(e => e.Kind == ProxyEntryKind.Url)} proxy URL(s)" + (entries.Any(e => e.Kind == ProxyEntryKind.Direct) ? ", then direct" : string.Empty), 0, Where.Local));
        }
    }

    private static string Typo(string value)
    {
        foreach (var item in value.Split(',', '|').Select(x => x.Trim()))
        {
            if (item.Length > 0 && item != "direct" && item != "off" && !item.Contains('.', StringComparison.Ordinal) && !item.Contains(':', StringComparison.Ordinal))
            {
                var guess = Distance(item, "direct") <= 2 ? "direct" : Distance(item, "off") <= 1 ? "off" : null;
                return guess is null ? $" (\"{item}\" is neither a URL nor direct/off)" : $" (did you mean \"{guess}\" instead of \"{item}\"?)";
            }
        }

        return string.Empty;
    }

    private static string? TypoOfHost(string item)
    {
        // "https//host" has no ":/", so the go command prefixes https:// and asks a host named "https";
        // "https:/host" and "https:host" parse with an empty host. Either way the scheme lost a character.
        if (BrokenScheme().Match(item) is { Success: true } broken)
        {
            var fixedUrl = broken.Groups["scheme"].Value + "://" + item[broken.Length..];
            return $"\"{item}\" is not a URL the go command can use: did you mean {fixedUrl}?";
        }

        var host = item.Contains("://", StringComparison.Ordinal) ? item[(item.IndexOf("://", StringComparison.Ordinal) + 3)..] : item;
        host = host.Split('/', ':')[0].ToLowerInvariant();
        foreach (var known in PublicProxies)
        {
            if (host != known && host.Length > 4 && Distance(host, known) <= 2)
            {
                return $"\"{host}\" looks like a misspelling of {known}";
            }
        }

        if (item.StartsWith("http://", StringComparison.Ordinal) && PublicProxies.Contains(host))
        {
            return $"{host} is reached over plain http; use https://{host}";
        }

        return null;
    }

    private static void LintGosumdb(GoSettings s, List<DoctorCheck> checks)
    {
        var parsed = GosumdbSetting.Parse(s["GOSUMDB"]);
        const string name = "lint GOSUMDB";
        if (parsed.Error is { } err)
        {
            checks.Add(new DoctorCheck(name, s["GOSUMDB"], Where.Local, CheckStatus.Fail, CauseIds.GosumdbInvalid, err, FixSuggestions.For(CauseIds.GosumdbInvalid, Where.Local, FixContext.None), 0));
        }
        else if (parsed.Off)
        {
            checks.Add(new DoctorCheck(name, "off", Where.Local, CheckStatus.Warn, null, "GOSUMDB=off: downloads of modules not in go.sum are not verified against a checksum database", "go env -w GOSUMDB=sum.golang.org", 0));
        }
        else
        {
            checks.Add(DoctorCheck.Ok(name, s["GOSUMDB"], $"{parsed.Name}" + (parsed.Url is null ? string.Empty : $" at {parsed.Url}"), 0, Where.Local));
        }
    }

    private static void LintPrivateModules(GoSettings s, IReadOnlyList<string> modules, List<DoctorCheck> checks)
    {
        var noProxy = PathPatterns.Parse(s["GONOPROXY"]);
        var noSumdb = PathPatterns.Parse(s["GONOSUMDB"]);
        var sumdb = GosumdbSetting.Parse(s["GOSUMDB"]);
        GoProxyList.TryParse(s["GOPROXY"], out var entries, out _);
        // A 404/410 from an earlier proxy falls through to the next one, so any public proxy before direct sees the path.
        var firstProxy = entries?.Where(e => e.Kind != ProxyEntryKind.NoProxy).TakeWhile(e => e.Kind == ProxyEntryKind.Url)
            .Select(e => e.Url!).FirstOrDefault(u => PublicProxies.Any(p => u.Contains(p, StringComparison.OrdinalIgnoreCase)));
        var publicProxyFirst = firstProxy is not null;
        foreach (var m in modules)
        {
            if (!PrivateLooking.Is(m, out var why))
            {
                continue;
            }

            var leaks = new List<string>();
            var proxyLeak = publicProxyFirst && !noProxy.Matches(m);
            if (proxyLeak)
            {
                leaks.Add($"it is sent to the public proxy {firstProxy}");
            }

            if (!sumdb.Off && sumdb.Error is null && !noSumdb.Matches(m))
            {
                leaks.Add($"it is looked up in the public checksum database {sumdb.Name}");
            }

            if (leaks.Count > 0)
            {
                // GOPRIVATE sets both GONOPROXY and GONOSUMDB. When only the checksum database leaks, GOPROXY is
                // already a private proxy (e.g. a Moddock serving the module from git): GOPRIVATE would make the go
                // command bypass it and fetch from version control itself, so the fix is GONOSUMDB alone.
                var key = proxyLeak ? "GOPRIVATE" : "GONOSUMDB";
                checks.Add(new DoctorCheck("lint private module " + m, m, Where.Local, CheckStatus.Warn, CauseIds.PrivateModulePublicRoute,
                    $"{m} looks private ({why}), but {string.Join(" and ", leaks)}: no GOPRIVATE/GONOPROXY/GONOSUMDB pattern covers it",
                    $"go env -w {key}=" + string.Join(',', new[] { s[key], FixSuggestions.PrivatePrefix(m) }.Where(x => x.Length > 0)), 0));
            }
        }
    }

    private static void LintHttpProxy(GoSettings s, List<DoctorCheck> checks)
    {
        var http = s["HTTP_PROXY"];
        var https = s["HTTPS_PROXY"];
        if (http.Length > 0 && https.Length == 0)
        {
            checks.Add(new DoctorCheck("lint HTTPS_PROXY", null, Where.HttpProxy, CheckStatus.Warn, null,
                "HTTP_PROXY is set but HTTPS_PROXY is not: Go sends https requests (proxy.golang.org, sum.golang.org, git over https) without a proxy",
                "export HTTPS_PROXY=\"$HTTP_PROXY\"", 0));
        }

        // One fix for every dead entry, dropping all of them, quoted: `*` and `[::1]` are shell globs.
        var deadEntries = GoHttpProxy.DeadEntries(s["NO_PROXY"]).ToList();
        var live = s["NO_PROXY"].Split(',').Select(x => x.Trim()).Where(x => x.Length > 0 && !deadEntries.Any(d => d.Trim() == x)).ToList();
        var noProxyFix = live.Count == 0 ? "unset NO_PROXY no_proxy" : $"export NO_PROXY='{string.Join(',', live)}'";
        foreach (var dead in deadEntries)
        {
            checks.Add(new DoctorCheck("lint NO_PROXY", dead, Where.HttpProxy, CheckStatus.Warn, null,
                $"NO_PROXY entry \"{dead}\" can never match a host (Go compares host names and IPs only: no schemes, paths or inner wildcards)",
                noProxyFix, 0));
        }
    }

    private static void LintEnvFile(GoSettings s, List<DoctorCheck> checks)
    {
        var f = s.EnvFile;
        if (f.Path is null)
        {
            return;
        }

        if (f.Error is not null)
        {
            checks.Add(new DoctorCheck("go env file", f.Path, Where.Local, CheckStatus.Warn, null, $"cannot read {f.Path}: {f.Error}; the go command ignores it", $"ls -l {f.Path}", 0));
        }
        else if (f.MalformedLines.Count > 0)
        {
            checks.Add(new DoctorCheck("go env file", f.Path, Where.Local, CheckStatus.Warn, null,
                $"{f.Path}: line(s) {string.Join(", ", f.MalformedLines.Take(10))} are not KEY=VALUE; the go command silently ignores them", $"go env -w GOPROXY={s["GOPROXY"]}", 0));
        }
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }

        return d[a.Length, b.Length];
    }

    [GeneratedRegex(@"^(?<scheme>https?)(?://(?!/)|:/(?!/)|:(?!/))", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex BrokenScheme();
}
