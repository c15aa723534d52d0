using Microsoft.Extensions.Logging;
using Moddock.Modules;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Verification;
using Moddock.Sumdb;

namespace Moddock.Proxy.Resolution;

/// <summary>Wires the pipeline from its parts; the public entry point is <see cref="ModuleProxy.Create"/>.</summary>
internal static class ProxyComposition
{
    public static ModuleResolver Build(
        IModuleStore store,
        IReadOnlyList<ChainEntry> entries,
        IModuleSource? direct,
        Func<ModulePath, bool> isPrivate,
        Func<ModulePath, bool> skipChecksum,
        IChecksumVerifier? checksums,
        ModuleResolverOptions options,
        TimeProvider time,
        ILoggerFactory loggers,
        ArtifactEvents? events = null)
    {
        var chain = new SourceChain(entries, direct ?? new DirectUnavailableSource(), isPrivate);
        var verifier = new ArtifactVerifier(checksums, skipChecksum);
        var fetcher = new ArtifactFetcher(store, chain, verifier, options.StreamZipsFrom, time, loggers.CreateLogger<ArtifactFetcher>(),
            events ?? new ArtifactEvents(loggers.CreateLogger<ArtifactEvents>()));
        var resolver = new ModuleResolver(store, fetcher, options, time, loggers.CreateLogger<ModuleResolver>());
        resolver.StartPrefetching(loggers.CreateLogger("Moddock.Proxy.Prefetch"));
        return resolver;
    }
}
