namespace Moddock.Proxy.Sources.Git.Finding;

/// <summary>One &lt;meta name="go-import" content="prefix vcs repo-root"&gt; entry.</summary>
internal sealed record GoImport(string Prefix, string Vcs, string RepoRoot);
