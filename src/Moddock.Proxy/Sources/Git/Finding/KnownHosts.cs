using System.Text.RegularExpressions;

namespace Moddock.Proxy.Sources.Git.Finding;

/// <summary>
/// The hosting sites and the VCS-qualified path syntax that cmd/go knows without a network lookup
/// (cmd/go/internal/vcs vcsPaths, go1.19).
/// </summary>
internal static partial class KnownHosts
{
    internal sealed record Match(string Root, string Vcs, string? Url, string? SchemelessRepo, string? Error);

    public static Match? Find(string path)
    {
        if (HasPathPrefix(path, "github.com"))
        {
            return Site(path, GitHub(), "github.com", checkSuffix: true);
        }

        if (HasPathPrefix(path, "bitbucket.org"))
        {
            return Site(path, Bitbucket(), "bitbucket.org", checkSuffix: true);
        }

        if (HasPathPrefix(path, "hub.jazz.net/git"))
        {
            return Site(path, Jazz(), "hub.jazz.net/git", checkSuffix: true);
        }

        if (HasPathPrefix(path, "git.apache.org"))
        {
            return Site(path, Apache(), "git.apache.org", checkSuffix: false);
        }

        if (HasPathPrefix(path, "git.openstack.org"))
        {
            return Site(path, OpenStack(), "git.openstack.org", checkSuffix: false);
        }

        if (HasPathPrefix(path, "chiselapp.com"))
        {
            var c = Chisel().Match(path);
            return c.Success
                ? new Match(c.Groups["root"].Value, "fossil", "https://" + c.Groups["root"].Value, null, null)
                : new Match("", "", null, null, $"invalid chiselapp.com import path \"{path}\"");
        }

        var g = General().Match(path);
        if (g.Success)
        {
            return new Match(g.Groups["root"].Value, g.Groups["vcs"].Value, null, g.Groups["repo"].Value, null);
        }

        return null;
    }

    private static Match Site(string path, Regex re, string prefix, bool checkSuffix)
    {
        var m = re.Match(path);
        if (!m.Success)
        {
            return new Match("", "", null, null, $"invalid {prefix} import path \"{path}\"");
        }

        var root = m.Groups["root"].Value;
        if (checkSuffix && new[] { ".git", ".hg", ".svn", ".bzr", ".fossil" }.Any(s => root.EndsWith(s, StringComparison.Ordinal)))
        {
            return new Match("", "", null, null, $"invalid version control suffix in {prefix}/ path");
        }

        return new Match(root, "git", "https://" + root, null, null);
    }

    private static bool HasPathPrefix(string s, string prefix) => GoImportParser.HasPathPrefix(s, prefix);

    [GeneratedRegex(@"^(?<root>github\.com/[A-Za-z0-9_.\-]+/[A-Za-z0-9_.\-]+)(/[A-Za-z0-9_.\-]+)*$")]
    private static partial Regex GitHub();

    [GeneratedRegex(@"^(?<root>bitbucket\.org/(?<bitname>[A-Za-z0-9_.\-]+/[A-Za-z0-9_.\-]+))(/[A-Za-z0-9_.\-]+)*$")]
    private static partial Regex Bitbucket();

    [GeneratedRegex(@"^(?<root>hub\.jazz\.net/git/[a-z0-9]+/[A-Za-z0-9_.\-]+)(/[A-Za-z0-9_.\-]+)*$")]
    private static partial Regex Jazz();

    [GeneratedRegex(@"^(?<root>git\.apache\.org/[a-z0-9_.\-]+\.git)(/[A-Za-z0-9_.\-]+)*$")]
    private static partial Regex Apache();

    [GeneratedRegex(@"^(?<root>git\.openstack\.org/[A-Za-z0-9_.\-]+/[A-Za-z0-9_.\-]+)(\.git)?(/[A-Za-z0-9_.\-]+)*$")]
    private static partial Regex OpenStack();

    [GeneratedRegex(@"^(?<root>chiselapp\.com/user/[A-Za-z0-9]+/repository/[A-Za-z0-9_.\-]+)$")]
    private static partial Regex Chisel();

    // Go's RE2 leftmost-first semantics with the lazy +? match the shortest repo before a VCS suffix.
    [GeneratedRegex(@"(?<root>(?<repo>([a-z0-9.\-]+\.)+[a-z0-9.\-]+(:[0-9]+)?(/~?[A-Za-z0-9_.\-]+)+?)\.(?<vcs>bzr|fossil|git|hg|svn))(/~?[A-Za-z0-9_.\-]+)*$")]
    private static partial Regex General();
}
