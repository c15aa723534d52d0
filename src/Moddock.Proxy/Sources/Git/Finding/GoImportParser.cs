using System.Net;
using System.Text.RegularExpressions;

namespace Moddock.Proxy.Sources.Git.Finding;

/// <summary>
/// Reads go-import meta tags the way cmd/go's vcs.parseMetaGoImports does: lenient HTML, stop at
/// &lt;body&gt; or &lt;/head&gt;, attribute names case-insensitive, exactly three content fields; `mod`
/// entries come first and hide a VCS entry with the same prefix.
/// </summary>
internal static partial class GoImportParser
{
    public static IReadOnlyList<GoImport> Parse(string html)
    {
        var found = new List<GoImport>();
        foreach (Match tag in Tag().Matches(html))
        {
            var name = tag.Groups["name"].Value;
            if (tag.Groups["end"].Success && name.Equals("head", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }

            if (!tag.Groups["end"].Success && name.Equals("body", StringComparison.OrdinalIgnoreCase))
            {
                break;
            }

            if (tag.Groups["end"].Success || !name.Equals("meta", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string? metaName = null, content = null;
            foreach (Match a in Attr().Matches(tag.Groups["attrs"].Value))
            {
                var key = a.Groups["k"].Value;
                var value = WebUtility.HtmlDecode(a.Groups["dq"].Success ? a.Groups["dq"].Value : a.Groups["sq"].Success ? a.Groups["sq"].Value : a.Groups["uq"].Value);
                if (key.Equals("name", StringComparison.OrdinalIgnoreCase))
                {
                    metaName ??= value;
                }
                else if (key.Equals("content", StringComparison.OrdinalIgnoreCase))
                {
                    content ??= value;
                }
            }

            if (metaName != "go-import" || content is null)
            {
                continue;
            }

            var f = content.Split([' ', '\t', '\r', '\n', '\f', '\v'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 3)
            {
                found.Add(new GoImport(f[0], f[1], f[2]));
            }
        }

        var modPrefixes = found.Where(m => m.Vcs == "mod").Select(m => m.Prefix).ToHashSet(StringComparer.Ordinal);
        return found.Where(m => m.Vcs == "mod").Concat(found.Where(m => m.Vcs != "mod" && !modPrefixes.Contains(m.Prefix))).ToList();
    }

    /// <summary>
    /// cmd/go matchGoImport: the single entry whose prefix is a path-prefix of importPath; a `mod`
    /// entry wins over later VCS entries; two VCS matches are an error (null with a reason).
    /// </summary>
    public static GoImport? Match(IReadOnlyList<GoImport> imports, string importPath, out string? error)
    {
        error = null;
        GoImport? match = null;
        foreach (var im in imports)
        {
            if (!HasPathPrefix(importPath, im.Prefix))
            {
                continue;
            }

            if (match is not null)
            {
                if (match.Vcs == "mod" && im.Vcs != "mod")
                {
                    break;
                }

                error = $"multiple meta tags match import path \"{importPath}\"";
                return null;
            }

            match = im;
        }

        if (match is null)
        {
            error = imports.Count == 0
                ? "no go-import meta tags"
                : string.Join(", ", imports.Select(i => $"meta tag {i.Prefix} did not match import path {importPath}"));
        }

        return match;
    }

    public static bool HasPathPrefix(string s, string prefix) =>
        s.Length == prefix.Length ? s == prefix
        : s.Length > prefix.Length && prefix.Length > 0 && s.StartsWith(prefix, StringComparison.Ordinal) && (prefix[^1] == '/' || s[prefix.Length] == '/');

    [GeneratedRegex(@"<(?<end>/)?(?<name>[A-Za-z][A-Za-z0-9:_-]*)(?<attrs>(?:[^>""']|""[^""]*""|'[^']*')*)/?>", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    [GeneratedRegex(@"(?<k>[A-Za-z_:][-A-Za-z0-9_:.]*)\s*(?:=\s*(?:""(?<dq>[^""]*)""|'(?<sq>[^']*)'|(?<uq>[^\s""'>]+)))?", RegexOptions.CultureInvariant)]
    private static partial Regex Attr();
}
