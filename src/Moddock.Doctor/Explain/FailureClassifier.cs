using System.Text.RegularExpressions;
using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Explain;

/// <summary>
/// Names the deepest cause of one failure and where it happened. The special case is a public proxy
/// or checksum database answering 404/410 for a module it cannot fetch: when the remote text says it
/// could not authenticate or resolve the repository (or sum.golang.org says nothing), the module is
/// private and was sent down the public route (diagnosis-causes.md, config.private_module_public_route).
/// </summary>
internal static partial class FailureClassifier
{
    private static readonly HashSet<string> PublicHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "proxy.golang.org", "sum.golang.org", "sum.golang.google.cn", "goproxy.cn", "goproxy.io", "mirrors.aliyun.com", "goproxy.baidu.com",
    };

    private static readonly HashSet<string> PrivateSignals =
    [
        CauseIds.GitAuthRequired, CauseIds.GitSshAuth, CauseIds.DnsNxdomain, CauseIds.VcsNoGoImport, CauseIds.GitFailed, CauseIds.HttpForbidden, CauseIds.HttpNotFound,
    ];

    public static Finding? Classify(FailureGroup group)
    {
        Signal? local = null;
        Signal? remote = null;
        foreach (var line in group.Lines)
        {
            var rule = FirstMatch(line.Part);
            if (rule is null)
            {
                continue;
            }

            var s = new Signal(rule, line);
            if (line.Remote)
            {
                remote = Deeper(remote, s);
            }
            else
            {
                local = Deeper(local, s);
            }
        }

        if (local is null && remote is null)
        {
            return null;
        }

        var chosen = local ?? remote!;
        string? relayedBy = null;
        var cause = chosen.Rule.Cause;
        var url = FirstUrl(chosen.Line.Part) ?? group.Lines.Where(l => !l.Remote).Select(l => FirstUrl(l.Part)).FirstOrDefault(u => u is not null);
        var host = url is not null ? HostOf(url) : null;

        if (local is not null && local.Rule.Cause is CauseIds.HttpNotFound or CauseIds.HttpForbidden && host is not null && PublicHosts.Contains(StripPort(host)))
        {
            var isSumdb = WhereOfUrl(url!) == Where.Sumdb;
            if (remote is not null && remote.Rule.Cause == CauseIds.VersionUnknownRevision)
            {
                cause = CauseIds.VersionUnknownRevision;
            }
            else if ((remote is not null && PrivateSignals.Contains(remote.Rule.Cause)) || (remote is null && isSumdb) || RelayedTexts.HasPrivateRemoteText(group))
            {
                cause = CauseIds.PrivateModulePublicRoute;
            }
        }
        else if (local is not null && local.Rule.Cause is CauseIds.HttpNotFound or CauseIds.HttpForbidden && RelayedTexts.RefusedAsPrivate(group))
        {
            // A private proxy (Moddock) refusing to relay a private path's lookup to the public database: its
            // answer names GONOSUMDB. The path must not go there; GOPRIVATE would also bypass that proxy.
            var privateModule = ModuleOf(url) ?? ModuleOfText(group);
            var gonosumdb = "go env -w GONOSUMDB=" + (privateModule is null ? "git.corp.example" : FixSuggestions.PrivatePrefix(privateModule));
            return new Finding(local.Line.Number, local.Line.Text.Trim(), CauseIds.PrivateModulePublicRoute, Where.Sumdb, gonosumdb, host, privateModule);
        }
        else if (local is not null && local.Rule.Cause == CauseIds.HttpServerError && url is not null && RelayedTexts.CannotStore(group))
        {
            // Moddock relaying that it cannot write its own storage (disk full, read-only): the route is fine and another
            // mirror is not the cure. Its /readyz, which the doctor reads, says whether the storage is writable and how full.
            var proxy = ProxyBase(url);
            return new Finding(local.Line.Number, local.Line.Text.Trim(), cause, Where.Proxy,
                $"moddock doctor   # Moddock at {proxy} cannot write its storage: free space there (df -h on its --storage), or give it a larger disk",
                host, ModuleOf(url) ?? ModuleOfText(group));
        }
        else if (local is not null && remote is not null && local.Rule.Depth <= 50 && remote.Rule.Depth > local.Rule.Depth
                 && (remote.Rule.Cause is CauseIds.VersionUnknownRevision or CauseIds.VcsNoGoImport or CauseIds.InvalidModulePath
                     || (local.Rule.Cause is CauseIds.HttpServerError or CauseIds.HttpNotFound && IsNetworkCause(remote.Rule.Cause))))
        {
            // A private proxy relaying what its own fetch said: that text names the real problem. A 5xx (or a 404:
            // Moddock answers one for a --private path whose repository host it cannot resolve) whose body says the
            // proxy could not resolve, reach or trust the host it fetches from (an upstream, sum.golang.org, a
            // repository) is that network failure, on the proxy's side: the host and place are the ones it names.
            cause = remote.Rule.Cause;
            chosen = remote;
            relayedBy = IsNetworkCause(cause) ? ProxyBase(url) : null;
            if (FirstUrl(remote.Line.Part) is { } relayed)
            {
                url = relayed;
                host = HostOf(relayed);
            }
            else
            {
                host = DialHost(remote.Line.Part) ?? host;
            }
        }

        var where = WhereOf(cause, chosen, url, group);
        var module = ModuleOf(url) ?? ModuleOfText(group);
        if (where == Where.HttpProxy || chosen.Line.Part.Contains("proxyconnect", StringComparison.Ordinal))
        {
            // The line names the destination; only a forbidding proxy's fix is about the destination (NO_PROXY).
            host = ProxyHost(chosen.Line.Part) ?? (cause == CauseIds.ProxyForbidden ? host : null);
        }
        else if (DialHost(chosen.Line.Part) is { } dialHost && host is null)
        {
            host = dialHost;
        }

        string fix;
        if (relayedBy is null)
        {
            fix = cause == CauseIds.TlsExpired && host is not null && chosen.Line.Part.Contains(" is after ", StringComparison.Ordinal)
                ? FixSuggestions.ExpiredServerCertificate(host)
                : FixSuggestions.For(cause, where, new FixContext(host, module, ProxyBase(url), null));
        }
        else
        {
            // The network failure happened on the proxy's host, on its way to an upstream, the checksum database
            // or a repository: nothing on this machine changes it, so the fix is the doctor run over there.
            where = where is Where.Sumdb or Where.GoGet or Where.Vcs ? where : Where.Proxy;
            var route = where is Where.GoGet or Where.Vcs ? "GOPROXY=direct "
                : where == Where.Proxy && url is not null && ProxyBase(url) is { } u && u != relayedBy
                    ? "GOPROXY=" + SecretRedactor.ForFix(u) + " "
                    : string.Empty;
            fix = $"{route}moddock doctor{(module is null || where == Where.Proxy ? string.Empty : " --module " + module)}   # on the host of {relayedBy}";
        }

        return new Finding(chosen.Line.Number, chosen.Line.Text.Trim(), cause, where, fix, host, module);
    }

    public static ExplainRule? FirstMatch(string text)
    {
        foreach (var r in ExplainRules.All)
        {
            if (r.Matches(text))
            {
                return r;
            }
        }

        return null;
    }

    private static bool IsNetworkCause(string cause) =>
        cause.StartsWith("dns.", StringComparison.Ordinal) || cause.StartsWith("tcp.", StringComparison.Ordinal)
        || cause.StartsWith("tls.", StringComparison.Ordinal) || cause.StartsWith("proxy.", StringComparison.Ordinal) || cause == CauseIds.HttpTimeout;

    private static Signal Deeper(Signal? a, Signal b) => a is null || b.Rule.Depth > a.Rule.Depth ? b : a;

    private static string? WhereOf(string cause, Signal chosen, string? url, FailureGroup group)
    {
        if (cause is CauseIds.GoproxyOff or CauseIds.GoproxyInvalid or CauseIds.GosumdbInvalid or CauseIds.GoVersion or CauseIds.InvalidModulePath or CauseIds.GosumMissing)
        {
            return Where.Local;
        }

        var part = chosen.Line.Part;
        if (part.Contains("proxyconnect", StringComparison.Ordinal))
        {
            return Where.HttpProxy;
        }

        if (cause == CauseIds.PrivateModulePublicRoute)
        {
            return url is not null ? WhereOfUrl(url) ?? Where.Proxy : Where.Sumdb;
        }

        if (chosen.Rule.Where is { } w && cause == chosen.Rule.Cause)
        {
            return w;
        }

        if (cause == CauseIds.SumdbChecksumMismatch)
        {
            return group.Lines.Any(l => l.Text.Contains("go.sum:", StringComparison.Ordinal) || l.Text.Contains("earlier download recorded in go.sum", StringComparison.Ordinal)) ? Where.Local : Where.Sumdb;
        }

        var lineUrl = FirstUrl(part);
        if (lineUrl is not null && WhereOfUrl(lineUrl) is { } fromLine)
        {
            return fromLine;
        }

        if (IsGitLine(part) || group.Lines.Any(l => !l.Remote && IsGitLine(l.Part) && l.Number <= chosen.Line.Number && FirstUrl(l.Part) is null))
        {
            return Where.Vcs;
        }

        if (url is not null && WhereOfUrl(url) is { } fromGroup)
        {
            return fromGroup;
        }

        if (group.Lines.Any(l => !l.Remote && (l.Part.Contains("verifying module:", StringComparison.Ordinal) || l.Part.Contains("verifying go.mod:", StringComparison.Ordinal))))
        {
            return Where.Sumdb;
        }

        if (cause == CauseIds.VcsNoGoImport)
        {
            return Where.GoGet;
        }

        // "unknown revision" with no URL is codehost speaking: the repository itself, in direct mode.
        if (cause == CauseIds.VersionUnknownRevision && part.Contains("unknown revision", StringComparison.Ordinal))
        {
            return Where.Vcs;
        }

        return null;
    }

    private static bool IsGitLine(string s) =>
        s.Contains("git ", StringComparison.Ordinal) || s.Contains("fatal:", StringComparison.Ordinal) || s.Contains("ls-remote", StringComparison.Ordinal) || s.Contains("ssh:", StringComparison.Ordinal);

    public static string? WhereOfUrl(string url)
    {
        var host = HostOf(url);
        if (url.Contains("?go-get=1", StringComparison.Ordinal))
        {
            return Where.GoGet;
        }

        if (url.Contains("/lookup/", StringComparison.Ordinal) || url.Contains("/tile/", StringComparison.Ordinal) || url.Contains("/sumdb/", StringComparison.Ordinal)
            || (host is not null && StripPort(host).StartsWith("sum.", StringComparison.OrdinalIgnoreCase)))
        {
            return Where.Sumdb;
        }

        if (url.Contains("/@v/", StringComparison.Ordinal) || url.Contains("/@latest", StringComparison.Ordinal))
        {
            return Where.Proxy;
        }

        if (url.StartsWith("ssh://", StringComparison.Ordinal) || url.StartsWith("git://", StringComparison.Ordinal) || url.EndsWith(".git", StringComparison.Ordinal) || url.EndsWith(".git/", StringComparison.Ordinal))
        {
            return Where.Vcs;
        }

        return null;
    }

    public static string? FirstUrl(string text)
    {
        var m = UrlRegex().Match(text);
        return m.Success ? m.Value.TrimEnd('.', ',', ')', ':', '\'') : null;
    }

    public static string? HostOf(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var rest = url[(start + 3)..];
        var end = rest.IndexOfAny(['/', '?', '#']);
        var host = end < 0 ? rest : rest[..end];
        var at = host.LastIndexOf('@');
        return at >= 0 ? host[(at + 1)..] : host;
    }

    private static string StripPort(string host)
    {
        var colon = host.LastIndexOf(':');
        return colon > 0 && !host.EndsWith(']') ? host[..colon] : host;
    }

    /// <summary>The module path of a proxy or checksum-database URL, unescaped ("!a" → "A").</summary>
    public static string? ModuleOf(string? url)
    {
        if (url is null)
        {
            return null;
        }

        var m = ModuleInUrl().Match(url);
        if (m.Success)
        {
            return Unescape(m.Groups["m"].Value);
        }

        var g = GoGetUrl().Match(url);
        return g.Success ? g.Groups["m"].Value : null;
    }

    private static string? ModuleOfText(FailureGroup group)
    {
        foreach (var l in group.Lines)
        {
            if (l.Remote)
            {
                continue;
            }

            var m = ModuleInText().Match(l.Part);
            if (m.Success)
            {
                return m.Groups["m"].Value;
            }
        }

        return null;
    }

    private static string? ProxyBase(string? url)
    {
        if (url is null)
        {
            return null;
        }

        var i = url.IndexOf("/@v/", StringComparison.Ordinal);
        if (i < 0)
        {
            return url;
        }

        var module = ModuleOf(url);
        var basePart = url[..i];
        if (module is not null)
        {
            var cut = basePart.Length;
            foreach (var _ in module.Split('/'))
            {
                cut = basePart.LastIndexOf('/', cut - 1);
                if (cut < 0)
                {
                    return url;
                }
            }

            return basePart[..cut];
        }

        return basePart;
    }

    private static string? ProxyHost(string text)
    {
        var m = ProxyDial().Match(text);
        return m.Success ? m.Groups["h"].Value : null;
    }

    private static string? DialHost(string text)
    {
        var m = DialOrLookup().Match(text);
        return m.Success ? m.Groups["h"].Value : null;
    }

    private static string Unescape(string escaped)
    {
        var sb = new System.Text.StringBuilder(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '!' && i + 1 < escaped.Length)
            {
                sb.Append(char.ToUpperInvariant(escaped[++i]));
            }
            else
            {
                sb.Append(escaped[i]);
            }
        }

        return sb.ToString().Replace("%21", "!", StringComparison.Ordinal);
    }

    private sealed record Signal(ExplainRule Rule, GroupLine Line);

    [GeneratedRegex(@"(?:https?|file|ssh|git)://[^\s""'<>)]+", RegexOptions.CultureInvariant)]
    private static partial Regex UrlRegex();

    [GeneratedRegex(@"://[^/]+/(?:sumdb/[^/]+/)?(?:lookup/)?(?<m>[^@\s""]+?)(?:/@v/|/@latest|@v\d)", RegexOptions.CultureInvariant)]
    private static partial Regex ModuleInUrl();

    [GeneratedRegex(@"://(?<m>[^?\s""]+)\?go-get=1", RegexOptions.CultureInvariant)]
    private static partial Regex GoGetUrl();

    [GeneratedRegex(@"(?:^|\s|go: |module |package )(?<m>[a-z0-9][a-z0-9.\-]*\.[a-z]{2,}(?:/[A-Za-z0-9._~\-]+)*)(?:@v[^\s:]*)?:", RegexOptions.CultureInvariant)]
    private static partial Regex ModuleInText();

    [GeneratedRegex(@"proxyconnect tcp: (?:dial tcp (?:lookup )?)?(?<h>[^\s:]+(?::\d+)?)", RegexOptions.CultureInvariant)]
    private static partial Regex ProxyDial();

    [GeneratedRegex(@"(?:dial tcp (?<h>[^\s:]+:\d+|\[[^\]]+\]:\d+)|lookup (?<h>[^\s:]+))", RegexOptions.CultureInvariant)]
    private static partial Regex DialOrLookup();
}
