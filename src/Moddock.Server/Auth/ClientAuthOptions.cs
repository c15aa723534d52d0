namespace Moddock.Server.Auth;

/// <summary>
/// Client authentication for `serve` (YAML section `auth:`). Secrets are stored only as hashes made
/// by <see cref="ClientSecretHash.Create"/>. The go command sends Basic auth from ~/.netrc, so a token
/// is accepted as a Bearer token and as the password of Basic auth (any user name).
/// </summary>
public sealed class ClientAuthOptions
{
    /// <summary>Realm named in WWW-Authenticate. Default "moddock".</summary>
    public string Realm { get; init; } = "moddock";

    /// <summary>Whether a path that no rule matches needs authentication. Default false (open).</summary>
    public bool RequireByDefault { get; init; }

    /// <summary>Basic-auth users: name and password hash.</summary>
    public IReadOnlyList<ClientCredential> Users { get; init; } = [];

    /// <summary>Tokens: a name (for logs and rules) and the token's hash.</summary>
    public IReadOnlyList<ClientCredential> Tokens { get; init; } = [];

    /// <summary>Per-path rules, first match wins; patterns use GOPRIVATE syntax over the module path.</summary>
    public IReadOnlyList<ClientAccessRule> Rules { get; init; } = [];

    /// <summary>
    /// Checksum databases proxied under /sumdb/NAME/ that are public (serve sets the --sumdb name): their
    /// tiles and signed heads name no module and hold nothing private, so they follow RequireByDefault.
    /// Any other NAME is the private log, whose tiles list private module paths: it needs credentials
    /// whenever any rule does. Lookups (/sumdb/NAME/lookup/M@V) always follow the rule for M.
    /// </summary>
    public IReadOnlyList<string> PublicSumdbNames { get; init; } = [];

    /// <summary>Paths never asking for credentials (health checks). Default /healthz and /readyz.</summary>
    public IReadOnlyList<string> OpenPaths { get; init; } = ["/healthz", "/readyz"];
}
