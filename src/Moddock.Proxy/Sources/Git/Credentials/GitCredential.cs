namespace Moddock.Proxy.Sources.Git.Credentials;

/// <summary>
/// Credentials for one host, sent as HTTP Basic auth by git (https) and by go-get discovery.
/// Username defaults to "oauth2", which GitLab, Gitea and GitHub (as x-access-token's alias) accept with a token.
/// </summary>
public sealed record GitCredential(string Host, string Password, string Username = "oauth2")
{
    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"{Username}:***@{Host}";
}
