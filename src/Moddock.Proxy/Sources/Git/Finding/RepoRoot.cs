namespace Moddock.Proxy.Sources.Git.Finding;

/// <summary>
/// Where a module path's code lives: Root is the import-path prefix at the repository root,
/// Url the remote (for Vcs "mod", a GOPROXY base URL that serves the module).
/// </summary>
internal sealed record RepoRoot(string Root, string Vcs, string Url)
{
    public bool IsModProxy => Vcs == "mod";
}
