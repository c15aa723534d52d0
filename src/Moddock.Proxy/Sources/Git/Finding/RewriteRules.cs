using Moddock.Modules;

namespace Moddock.Proxy.Sources.Git.Finding;

/// <summary>Applies one GitRewriteRule to a module path (see GitRewriteRule for the template syntax).</summary>
internal static class RewriteRules
{
    public static bool TryApply(GitRewriteRule rule, string path, out RepoRoot? root)
    {
        root = null;
        var pattern = rule.Pattern.TrimEnd('/');
        if (pattern.Length == 0 || !PathPatterns.Parse(pattern).Matches(path))
        {
            return false;
        }

        // A pattern with k slashes matches the first k+1 elements (module.MatchPrefixPatterns).
        var k = pattern.Count(c => c == '/');
        var elems = path.Split('/');
        var rootPath = string.Join('/', elems.Take(k + 1));
        var host = elems[0];
        var rest = string.Join('/', elems.Skip(1).Take(k));
        var url = rule.UrlTemplate.Replace("{root}", rootPath, StringComparison.Ordinal)
            .Replace("{host}", host, StringComparison.Ordinal)
            .Replace("{path}", rest, StringComparison.Ordinal);
        root = new RepoRoot(rootPath, url.StartsWith("mod+", StringComparison.Ordinal) ? "mod" : "git", url.StartsWith("mod+", StringComparison.Ordinal) ? url[4..] : url);
        return true;
    }
}
