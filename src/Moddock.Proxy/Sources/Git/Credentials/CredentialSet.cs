using System.Text;

namespace Moddock.Proxy.Sources.Git.Credentials;

/// <summary>
/// Where credentials for a host come from, in order: explicit config, the environment
/// (MODDOCK_GIT_TOKEN_&lt;HOST&gt;, host upper-cased with '.' and '-' as '_', value "token" or "user:token"),
/// then .netrc. SSH keys are handled by git through GIT_SSH_COMMAND.
/// </summary>
internal sealed class CredentialSet
{
    private readonly IReadOnlyList<GitCredential> _explicit;
    private readonly IReadOnlyList<GitCredential> _netrc;
    private readonly Func<string, string?> _env;

    public CredentialSet(IReadOnlyList<GitCredential> explicitCredentials, IReadOnlyList<GitCredential> netrc, Func<string, string?> env)
    {
        _explicit = explicitCredentials;
        _netrc = netrc;
        _env = env;
        Redactor = new SecretRedactor(explicitCredentials.Concat(netrc).SelectMany(c => new[] { c.Password, BasicValue(c) }));
    }

    public SecretRedactor Redactor { get; private set; }

    public static string EnvironmentName(string host) =>
        "MODDOCK_GIT_TOKEN_" + host.ToUpperInvariant().Replace('.', '_').Replace('-', '_').Replace(':', '_');

    public GitCredential? For(string host)
    {
        var c = _explicit.FirstOrDefault(x => string.Equals(x.Host, host, StringComparison.OrdinalIgnoreCase));
        if (c is not null)
        {
            return c;
        }

        if (_env(EnvironmentName(host)) is { Length: > 0 } fromEnv)
        {
            var colon = fromEnv.IndexOf(':', StringComparison.Ordinal);
            c = colon > 0 ? new GitCredential(host, fromEnv[(colon + 1)..], fromEnv[..colon]) : new GitCredential(host, fromEnv);
            // Secrets found late must still be redacted.
            Redactor = new SecretRedactor(_explicit.Concat(_netrc).Append(c).SelectMany(x => new[] { x.Password, BasicValue(x) }));
            return c;
        }

        return _netrc.FirstOrDefault(x => string.Equals(x.Host, host, StringComparison.OrdinalIgnoreCase));
    }

    public static string BasicValue(GitCredential c) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(c.Username + ":" + c.Password));

    /// <summary>git config entries that make git send the credential to this host over https only.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> GitConfigFor(Uri remote)
    {
        if (remote.Scheme != Uri.UriSchemeHttps && remote.Scheme != Uri.UriSchemeHttp)
        {
            return [];
        }

        var c = For(remote.Host);
        if (c is null)
        {
            return [];
        }

        // Passed through GIT_CONFIG_* environment variables, never argv, so `ps` does not show it.
        var key = $"http.{remote.Scheme}://{remote.Authority}/.extraHeader";
        return [new(key, "Authorization: Basic " + BasicValue(c))];
    }
}
