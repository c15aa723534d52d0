using Moddock.Proxy;
using Moddock.Modules;
using Moddock.Server.Auth;

namespace Moddock.Server.Configuration;

/// <summary>
/// Everything `moddock serve` runs with, after flags, environment, the YAML file and the
/// defaults were merged and validated (see <see cref="ServeOptionsBuilder"/>).
/// </summary>
public sealed class ServeOptions
{
    /// <summary>Where Kestrel listens. Default 127.0.0.1:3000.</summary>
    public required ListenAddress Listen { get; init; }

    /// <summary>Root of the embedded disk store. Default ~/.cache/moddock.</summary>
    public required string Storage { get; init; }

    /// <summary>Where <see cref="Storage"/> came from ("flag --storage", "env MODDOCK_STORAGE", a file line, "default"), for problems found later.</summary>
    public string StorageSource { get; init; } = "default";

    /// <summary>The upstream list in GOPROXY syntax, as typed, and parsed.</summary>
    public required string UpstreamText { get; init; }

    public required IReadOnlyList<ProxyEntry> Upstreams { get; init; }

    /// <summary>GOPRIVATE syntax: never asked of an upstream proxy.</summary>
    public required PathPatterns Private { get; init; }

    /// <summary>GOINSECURE syntax: direct mode may use plain http / unverified TLS for these.</summary>
    public required PathPatterns Insecure { get; init; }

    /// <summary>GOSUMDB syntax: "off", a name, "name+key", optionally followed by a URL. Default sum.golang.org.</summary>
    public required string Sumdb { get; init; }

    public bool SumdbOff => string.Equals(Sumdb, "off", StringComparison.Ordinal);

    /// <summary>GONOSUMDB syntax: modules not checked against the public checksum database. Default: the --private patterns.</summary>
    public required PathPatterns NoSumdb { get; init; }

    /// <summary>File whose first line is the signer key of the private checksum log; null for none.</summary>
    public string? PrivateSumdbKey { get; init; }

    /// <summary>Serve from the cache only; anything not cached answers 404 at once.</summary>
    public bool Offline { get; init; }

    /// <summary>What is fetched ahead of clients (--prefetch). Default requirements' .mod, .info after .mod, zips after .info.</summary>
    public PrefetchKinds Prefetch { get; init; } = PrefetchKinds.Requirements | PrefetchKinds.Infos | PrefetchKinds.Zips;

    /// <summary>How long a stored list / @latest answer is fresh. Default 60 s.</summary>
    public TimeSpan ListTtl { get; init; } = ServeDefaults.ListTtl;

    /// <summary>How long a not-found answer is remembered. Default 60 s.</summary>
    public TimeSpan NotFoundTtl { get; init; } = ServeDefaults.NotFoundTtl;

    /// <summary>Per-upstream connect timeout. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = ServeDefaults.ConnectTimeout;

    /// <summary>Per-upstream time to the first response byte. Default 15 s.</summary>
    public TimeSpan FirstByteTimeout { get; init; } = ServeDefaults.FirstByteTimeout;

    /// <summary>Longest pause inside a response body before the fetch is abandoned. Default 60 s.</summary>
    public TimeSpan BodyIdleTimeout { get; init; } = ServeDefaults.BodyIdleTimeout;

    /// <summary>Client authentication (YAML `auth:` section only); null leaves every path open.</summary>
    public ClientAuthOptions? Auth { get; init; }

    /// <summary>PEM certificate chain (server certificate first) for HTTPS on the listen address; null serves plain http.</summary>
    public string? TlsCert { get; init; }

    /// <summary>PEM private key (RSA or ECDSA, unencrypted) of <see cref="TlsCert"/>; set exactly when TlsCert is.</summary>
    public string? TlsKey { get; init; }

    /// <summary>Bytes of immutable artifacts (.info/.mod/.zip) kept in memory for hits; 0 turns it off. Default 64 MiB.</summary>
    public long MemoryCacheBytes { get; init; } = ServeDefaults.MemoryCacheBytes;

    /// <summary>Settings of direct mode (fetching from version control).</summary>
    public DirectModeOptions Direct { get; init; } = new();
}
