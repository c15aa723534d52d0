using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moddock.Modules;
using Moddock.Proxy.Resolution;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Sources.Upstream;
using Moddock.Proxy.Storage;
using Moddock.Sumdb;

namespace Moddock.Proxy;

/// <summary>
/// The entry point for hosts: builds the store, the upstream sources and the resolver from
/// <see cref="ModuleProxyOptions"/>, and reports their health for /readyz.
/// </summary>
public sealed class ModuleProxy : IDisposable
{
    private readonly IModuleStore _store;
    private readonly IReadOnlyList<UpstreamProxySource> _upstreams;
    private readonly HttpMessageInvoker _http;
    private readonly ArtifactEvents _events;

    private ModuleProxy(IModuleResolver resolver, IModuleStore store, IReadOnlyList<UpstreamProxySource> upstreams, HttpMessageInvoker http, string storageRoot, ArtifactEvents events)
    {
        _events = events;
        Resolver = resolver;
        _store = store;
        _upstreams = upstreams;
        _http = http;
        StorageRoot = storageRoot;
    }

    public IModuleResolver Resolver { get; }

    /// <summary>
    /// Raised after an .info, .mod or .zip of a canonical version is stored (fetched by a client or by the
    /// read-ahead), with the stored file; on a storage thread, after the artifact was answered.
    /// </summary>
    public event Action<StoredArtifact>? ArtifactStored
    {
        add => _events.Stored += value;
        remove => _events.Stored -= value;
    }

    /// <summary>The full path of the storage root.</summary>
    public string StorageRoot { get; }

    /// <summary>
    /// Builds the pipeline. Opening the store creates the root and removes temp files a crash left behind.
    /// </summary>
    /// <param name="direct">Direct mode (version control); null answers not found with "direct mode is not available".</param>
    /// <param name="checksums">Checksum database verification; null skips it (<c>--sumdb off</c>).</param>
    /// <param name="random">Backoff jitter source in [0, 1); default <see cref="Random.Shared"/>.</param>
    public static ModuleProxy Create(
        ModuleProxyOptions options,
        ILoggerFactory? loggers = null,
        TimeProvider? time = null,
        IChecksumVerifier? checksums = null,
        IModuleSource? direct = null,
        Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggers ??= NullLoggerFactory.Instance;
        time ??= TimeProvider.System;
        random ??= Random.Shared.NextDouble;

        var store = DiskModuleStore.Open(options.Storage, time);
        var http = UpstreamClient.Create(options.Upstream);
        var upstreams = new List<UpstreamProxySource>();
        var entries = new List<ChainEntry>();
        foreach (var e in options.Upstreams)
        {
            switch (e.Kind)
            {
                case ProxyEntryKind.Direct:
                    entries.Add(ChainEntry.Direct);
                    break;
                case ProxyEntryKind.Off:
                    entries.Add(ChainEntry.Off);
                    break;
                case ProxyEntryKind.NoProxy:
                    entries.Add(ChainEntry.NoProxy);
                    break;
                case ProxyEntryKind.Url when e.Url!.StartsWith("file://", StringComparison.OrdinalIgnoreCase):
                    entries.Add(ChainEntry.Upstream(new FileLayoutSource(new Uri(e.Url).LocalPath, e.Url), e.FallBackOnAnyError));
                    break;
                default:
                    var source = new UpstreamProxySource(
                        UpstreamEndpoint.Parse(e.Url!),
                        e.FallBackOnAnyError,
                        options.Upstream,
                        http,
                        time,
                        random,
                        loggers.CreateLogger<UpstreamProxySource>());
                    upstreams.Add(source);
                    entries.Add(ChainEntry.Upstream(source, e.FallBackOnAnyError));
                    break;
            }
        }

        var events = new ArtifactEvents(loggers.CreateLogger<ArtifactEvents>());
        var priv = options.Private;
        var noSumdb = options.NoSumdb;
        var resolver = ProxyComposition.Build(
            store,
            entries,
            direct,
            p => priv.Matches(p.Value),
            p => noSumdb.Matches(p.Value),
            checksums,
            options.Resolver,
            time,
            loggers,
            events);
        if (!options.Resolver.Offline)
        {
            _ = Verification.VerifierWarmup.Start(store.Root);
        }

        return new ModuleProxy(resolver, store, upstreams, http, store.Root, events);
    }

    /// <summary>State of each upstream proxy (circuit and last failure), in list order.</summary>
    public IReadOnlyList<UpstreamStatus> Upstreams => [.. _upstreams.Select(u => u.Status)];

    /// <summary>
    /// Tells the read-ahead that a client asked for the .info of a canonical M@V that a cache in front of the
    /// resolver answered (the server's memory cache), so its zip is read ahead as after a resolved .info.
    /// </summary>
    public void NoteInfoRequested(ModulePath path, ModuleVersion version) => (Resolver as ModuleResolver)?.NoteInfoRequested(path, version);

    /// <summary>Read-ahead counters (<see cref="ModuleResolverOptions.Prefetch"/>).</summary>
    public PrefetchStatus Prefetch => (Resolver as ModuleResolver)?.PrefetchStatus ?? PrefetchStatus.Off;

    /// <summary>Null when the storage root is writable now, else why not.</summary>
    public ValueTask<string?> CheckStorageWritableAsync(CancellationToken ct) => _store.CheckWritableAsync(ct);

    /// <summary>Lets fetches that were already answered finish their durable commit (up to 5 s), then closes the upstream connections.</summary>
    public void Dispose()
    {
        (Resolver as ModuleResolver)?.Dispose();
        (Resolver as ModuleResolver)?.WaitForFetches(TimeSpan.FromSeconds(5));
        _http.Dispose();
    }
}
