namespace Moddock.Proxy.Sources.Git.Mirrors;

/// <summary>A commit as cmd/go's codehost.RevInfo sees it: full hash, 12-digit short name, committer time (UTC).</summary>
internal sealed record CommitInfo(string Hash, DateTimeOffset Time)
{
    public string Short => Hash[..12];
}
