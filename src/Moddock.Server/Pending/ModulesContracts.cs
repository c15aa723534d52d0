// TEMPORARY stand-ins for the Moddock.Modules contract types (docs/CONTRACTS.md) until the
// `modules` branch lands; this file is deleted on merge. Only what the Server needs, simplified.
#pragma warning disable CA1034, CA1716, CA1724, CA1819, CA1000, CA1305, CA1307, CA1308, CA1310, CA1062, CA1065
namespace Moddock.Modules;

public enum ModuleErrorKind { InvalidPath, InvalidVersion, InvalidEscape, InvalidFilePath, ZipInvalid, ZipTooLarge, GoModInvalid, Other }

public sealed record ModuleError(ModuleErrorKind Kind, string Message);

public readonly record struct ModulePath
{
    private ModulePath(string value) => Value = value;

    public string Value { get; }

    public string Escaped => string.Concat(Value.Select(c => char.IsAsciiLetterUpper(c) ? "!" + char.ToLowerInvariant(c) : c.ToString()));

    public static bool TryParse(string path, out ModulePath result, out ModuleError? error)
    {
        result = default;
        error = null;
        if (path.Length == 0 || path.StartsWith('/') || path.EndsWith('/') || path.Contains("//") || path.Split('/').Any(e => e is "." or ".." || e.StartsWith('.') || e.EndsWith('.')))
        {
            error = new ModuleError(ModuleErrorKind.InvalidPath, $"malformed module path \"{path}\"");
            return false;
        }

        if (path.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '/')))
        {
            error = new ModuleError(ModuleErrorKind.InvalidPath, $"malformed module path \"{path}\": invalid char");
            return false;
        }

        if (!path.Split('/')[0].Contains('.'))
        {
            error = new ModuleError(ModuleErrorKind.InvalidPath, $"malformed module path \"{path}\": missing dot in first path element");
            return false;
        }

        result = new ModulePath(path);
        return true;
    }

    public static bool TryUnescape(string escaped, out ModulePath result, out ModuleError? error)
    {
        result = default;
        if (!ModuleEscaping.TryUnescapePath(escaped, out var p, out error))
        {
            return false;
        }

        return TryParse(p, out result, out error);
    }

    public override string ToString() => Value;
}

public readonly record struct ModuleVersion
{
    private ModuleVersion(string value) => Value = value;

    public string Value { get; }

    public string Escaped => string.Concat(Value.Select(c => char.IsAsciiLetterUpper(c) ? "!" + char.ToLowerInvariant(c) : c.ToString()));

    public static bool TryParse(string version, out ModuleVersion result, out ModuleError? error)
    {
        result = default;
        error = null;
        var core = version.EndsWith("+incompatible", StringComparison.Ordinal) ? version[..^"+incompatible".Length] : version;
        var m = System.Text.RegularExpressions.Regex.Match(core, @"^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$");
        if (!m.Success)
        {
            error = new ModuleError(ModuleErrorKind.InvalidVersion, $"version \"{version}\" is not canonical");
            return false;
        }

        result = new ModuleVersion(version);
        return true;
    }

    public static bool TryUnescape(string escaped, out ModuleVersion result, out ModuleError? error)
    {
        result = default;
        return ModuleEscaping.TryUnescapeVersion(escaped, out var v, out error) && TryParse(v, out result, out error);
    }

    public override string ToString() => Value;
}

public static class ModuleEscaping
{
    public static bool TryUnescapePath(string escaped, out string path, out ModuleError? error) => Unescape(escaped, out path, out error, ModuleErrorKind.InvalidPath);

    public static bool TryUnescapeVersion(string escaped, out string v, out ModuleError? error) => Unescape(escaped, out v, out error, ModuleErrorKind.InvalidVersion);

    private static bool Unescape(string escaped, out string result, out ModuleError? error, ModuleErrorKind kind)
    {
        var sb = new System.Text.StringBuilder();
        result = "";
        error = null;
        for (var i = 0; i < escaped.Length; i++)
        {
            var c = escaped[i];
            if (c > 127 || char.IsAsciiLetterUpper(c))
            {
                error = new ModuleError(kind, $"invalid escaped string \"{escaped}\"");
                return false;
            }

            if (c == '!')
            {
                if (i + 1 >= escaped.Length || !char.IsAsciiLetterLower(escaped[i + 1]))
                {
                    error = new ModuleError(kind, $"invalid escaped string \"{escaped}\"");
                    return false;
                }

                sb.Append(char.ToUpperInvariant(escaped[++i]));
                continue;
            }

            sb.Append(c);
        }

        result = sb.ToString();
        return true;
    }
}

public enum ProxyEntryKind { Url, Direct, Off, NoProxy }

public sealed record ProxyEntry(ProxyEntryKind Kind, string? Url, bool FallBackOnAnyError);

public static class GoProxyList
{
    public static bool TryParse(string value, out IReadOnlyList<ProxyEntry> entries, out ModuleError? error)
    {
        var list = new List<ProxyEntry>();
        entries = list;
        error = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            value = "https://proxy.golang.org,direct";
        }

        var i = 0;
        while (i < value.Length)
        {
            var j = value.IndexOfAny([',', '|'], i);
            var item = (j < 0 ? value[i..] : value[i..j]).Trim();
            var anyError = j >= 0 && value[j] == '|';
            i = j < 0 ? value.Length : j + 1;
            if (item.Length == 0)
            {
                continue;
            }

            if (item == "off")
            {
                list.Add(new ProxyEntry(ProxyEntryKind.Off, null, anyError));
                break;
            }

            if (item == "direct")
            {
                list.Add(new ProxyEntry(ProxyEntryKind.Direct, null, anyError));
                break;
            }

            if (!item.Contains(":/", StringComparison.Ordinal) && (item.Contains('.') || item.Contains(':') || item.Contains('/')) && !item.StartsWith('/'))
            {
                item = "https://" + item;
            }

            if (!Uri.TryCreate(item, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https" or "file"))
            {
                error = new ModuleError(ModuleErrorKind.Other, $"invalid proxy URL \"{item}\"");
                return false;
            }

            list.Add(new ProxyEntry(ProxyEntryKind.Url, item, anyError));
        }

        if (list.Count == 0)
        {
            error = new ModuleError(ModuleErrorKind.Other, "GOPROXY list is not the empty string, but contains no entries");
            return false;
        }

        return true;
    }
}

public sealed class PathPatterns
{
    private PathPatterns(IReadOnlyList<string> patterns) => Patterns = patterns;

    public IReadOnlyList<string> Patterns { get; }

    public bool IsEmpty => Patterns.Count == 0;

    public static PathPatterns Parse(string commaSeparated) =>
        new(commaSeparated.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(p => p.TrimEnd('/')).ToList());

    public bool Matches(string modulePath) => Patterns.Any(p => modulePath == p || modulePath.StartsWith(p + "/", StringComparison.Ordinal));

    public override string ToString() => string.Join(',', Patterns);
}

public static class ModulePathChecks
{
    public static ModuleError? Check(string path, string version) => null;
}
