using Moddock.Modules;
using Moddock.Proxy.Sources.Upstream;
using Moddock.Proxy.Storage;

namespace Moddock.Proxy;

/// <summary>Everything <see cref="ModuleProxy.Create"/> needs; the server fills it from flags, env and config.</summary>
public sealed class ModuleProxyOptions
{
    /// <summary>The embedded disk store (root required).</summary>
    public DiskModuleStoreOptions Storage { get; } = new();

    /// <summary>The upstream list from <see cref="GoProxyList.TryParse(string, out IReadOnlyList{ProxyEntry}, out ModuleError?)"/>. Default: https://proxy.golang.org,direct.</summary>
    public IReadOnlyList<ProxyEntry> Upstreams { get; set; } =
        [new ProxyEntry(ProxyEntryKind.Url, "https://proxy.golang.org", false), new ProxyEntry(ProxyEntryKind.Direct, null, false)];

    /// <summary>
    /// GOPRIVATE-style patterns: matching modules go only to direct, never to an upstream proxy. Default none.
    /// They are still handed to the checksum verifier, which decides itself (public database, private log or skip).
    /// </summary>
    public PathPatterns Private { get; set; } = PathPatterns.Empty;

    /// <summary>GONOSUMDB-style patterns whose modules are never given to the checksum verifier. Default none.</summary>
    public PathPatterns NoSumdb { get; set; } = PathPatterns.Empty;

    /// <summary>Offline mode and cache TTLs.</summary>
    public ModuleResolverOptions Resolver { get; } = new();

    /// <summary>Timeouts, retries and circuit breaker of every upstream proxy.</summary>
    public UpstreamOptions Upstream { get; } = new();
}
