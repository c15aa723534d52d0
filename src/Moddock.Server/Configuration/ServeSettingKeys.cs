namespace Moddock.Server.Configuration;

/// <summary>
/// The names of every setting: the YAML key (nested sections joined with '.'), which is also the
/// flag name, and its environment variable (MODDOCK_ + upper case, '-' and '.' as '_').
/// </summary>
public static class ServeSettingKeys
{
    public const string Listen = "listen";
    public const string Storage = "storage";
    public const string Upstream = "upstream";
    public const string Private = "private";
    public const string Insecure = "insecure";
    public const string Sumdb = "sumdb";
    public const string NoSumdb = "nosumdb";
    public const string PrivateSumdbKey = "private-sumdb-key";
    public const string Offline = "offline";
    public const string ListTtl = "list-ttl";
    public const string NotFoundTtl = "not-found-ttl";
    public const string ConnectTimeout = "connect-timeout";
    public const string FirstByteTimeout = "first-byte-timeout";
    public const string BodyIdleTimeout = "body-idle-timeout";
    public const string DirectGitConcurrency = "direct.git-concurrency";
    public const string DirectGitTimeout = "direct.git-timeout";
    public const string DirectNetrc = "direct.netrc";
    public const string DirectSshKey = "direct.ssh-key";
    public const string DirectSshKnownHosts = "direct.ssh-known-hosts";
    public const string DirectProbeTimeout = "direct.probe-timeout";
    public const string DirectRefreshInterval = "direct.refresh-interval";
    public const string TlsCert = "tls-cert";
    public const string TlsKey = "tls-key";
    public const string MemoryCache = "memory-cache";
    public const string Prefetch = "prefetch";

    /// <summary>Settings whose YAML value may be a list (joined with ',').</summary>
    public static readonly IReadOnlySet<string> ListValued = new HashSet<string>(StringComparer.Ordinal) { Private, Insecure, NoSumdb, Prefetch };

    public static readonly IReadOnlyList<string> All =
    [
        Listen, Storage, Upstream, Private, Insecure, Sumdb, NoSumdb, PrivateSumdbKey, Offline, ListTtl, NotFoundTtl,
        ConnectTimeout, FirstByteTimeout, BodyIdleTimeout, DirectGitConcurrency, DirectGitTimeout,
        DirectNetrc, DirectSshKey, DirectSshKnownHosts, DirectProbeTimeout, DirectRefreshInterval,
        TlsCert, TlsKey,
        MemoryCache, Prefetch,
    ];

    public static string EnvironmentVariable(string key) =>
        "MODDOCK_" + key.ToUpperInvariant().Replace('-', '_').Replace('.', '_');
}
