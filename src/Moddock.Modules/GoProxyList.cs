using Moddock.Modules.Proxies;

namespace Moddock.Modules;

/// <summary>
/// Parses a GOPROXY value the way cmd/go does (modfetch.proxyList, Go 1.19): items are separated by ',' or '|'
/// and the separator after an item sets its fallback mode; items are trimmed and empty ones skipped; "off"
/// and "direct" end the list; an item containing '.', ':' or '/' but neither ":/" nor an absolute path gets
/// "https://" prepended; only https, http and file (scheme and path only) URLs are accepted.
/// </summary>
public static class GoProxyList
{
    /// <summary>The go command's default (from $GOROOT/go.env), used when GOPROXY is empty.</summary>
    public const string Default = "https://proxy.golang.org,direct";

    /// <summary>An empty or blank value gives the default list; a value with no items (",") is an error, as in Go.</summary>
    public static bool TryParse(string value, out IReadOnlyList<ProxyEntry> entries, out ModuleError? error) =>
        TryParse(value, noProxy: null, out entries, out error);

    /// <summary>
    /// As <see cref="TryParse(string, out IReadOnlyList{ProxyEntry}, out ModuleError?)"/>, and when GONOPROXY
    /// (<paramref name="noProxy"/>) is set and GOPROXY is not exactly "direct", a <see cref="ProxyEntryKind.NoProxy"/>
    /// entry comes first: modules it matches are fetched directly and real proxies report them not found.
    /// </summary>
    public static bool TryParse(string value, string? noProxy, out IReadOnlyList<ProxyEntry> entries, out ModuleError? error)
    {
        ArgumentNullException.ThrowIfNull(value);

        // Go treats only the empty string as unset; this library also accepts blank (whitespace) as unset.
        if (string.IsNullOrWhiteSpace(value))
        {
            value = Default;
        }

        var list = new List<ProxyEntry>();
        if (!string.IsNullOrEmpty(noProxy) && value != "direct")
        {
            list.Add(new ProxyEntry(ProxyEntryKind.NoProxy, null, false));
        }

        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            ReadOnlySpan<char> item;
            var fallBack = false;
            var i = rest.IndexOfAny(',', '|');
            if (i >= 0)
            {
                item = rest[..i];
                fallBack = rest[i] == '|';
                rest = rest[(i + 1)..];
            }
            else
            {
                item = rest;
                rest = [];
            }

            var url = item.Trim().ToString();
            if (url.Length == 0)
            {
                continue;
            }

            if (url == "off")
            {
                list.Add(new ProxyEntry(ProxyEntryKind.Off, null, false));
                break;
            }

            if (url == "direct")
            {
                // Later items are ignored, for forward compatibility.
                list.Add(new ProxyEntry(ProxyEntryKind.Direct, null, false));
                break;
            }

            // Single words are reserved for built-in behaviours; anything with ":/" or an absolute path must be a full URL.
            if (url.AsSpan().IndexOfAny(".:/") >= 0 && !url.Contains(":/", StringComparison.Ordinal) && !IsAbsolutePath(url))
            {
                url = "https://" + url;
            }

            if (ProxyUrl.Check(url) is { } reason)
            {
                entries = [];
                error = new ModuleError(ModuleErrorKind.Other, reason);
                return false;
            }

            list.Add(new ProxyEntry(ProxyEntryKind.Url, url, fallBack));
        }

        if (list.Count == 0 || (list.Count == 1 && list[0].Kind == ProxyEntryKind.NoProxy))
        {
            entries = [];
            error = new ModuleError(ModuleErrorKind.Other, "GOPROXY list is not the empty string, but contains no entries");
            return false;
        }

        entries = list;
        error = null;
        return true;
    }

    // filepath.IsAbs or path.IsAbs: "/x" on Unix; Go on Windows would also take "C:\x", which has ":" but not ":/".
    private static bool IsAbsolutePath(string s) =>
        s.StartsWith('/') || (OperatingSystem.IsWindows() && Path.IsPathFullyQualified(s));
}
