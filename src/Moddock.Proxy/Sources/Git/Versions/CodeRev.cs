namespace Moddock.Proxy.Sources.Git.Versions;

/// <summary>
/// A revision as the repository sees it (cmd/go codehost.RevInfo): the commit, its time, the tags
/// on it, and Version = the tag that was asked for, else the full hash.
/// </summary>
internal sealed record CodeRev(string Hash, DateTimeOffset Time, IReadOnlyList<string> Tags, string Version)
{
    public string Short => Hash[..12];
}
