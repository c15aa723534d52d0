namespace Moddock.Proxy.Sources.Git;

/// <summary>
/// An explicit mapping from module paths to a repository, tried before anything else.
/// Pattern uses GOPRIVATE glob syntax (`*` within one element); a pattern with k slashes matches
/// the first k+1 path elements, which become the repository root. UrlTemplate may use
/// {root} (the matched elements), {host} (the first element) and {path} (the matched elements
/// after the host), e.g. `git.corp.example/*` → `ssh://git@git.corp.example/{path}.git`.
/// </summary>
public sealed record GitRewriteRule(string Pattern, string UrlTemplate);
