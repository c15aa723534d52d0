using Microsoft.Extensions.Logging;
using Moddock.Proxy.Prefetch;
using Moddock.Proxy.Storage;

namespace Moddock.Proxy.Resolution;

/// <summary>The whole GOPROXY request flow, top to bottom in <see cref="ResolveAsync"/>.</summary>
internal sealed partial class ModuleResolver(
    IModuleStore store,
    ArtifactFetcher fetcher,
    ModuleResolverOptions options,
    TimeProvider time,
    ILogger<ModuleResolver> logger) : IModuleResolver, IDisposable
{
    private readonly StoreReader _cache = new(store, options.Offline, logger);
    private readonly NegativeCache _notFound = new(options.NotFoundTtl, time);
    private readonly SingleFlight<string, ResolveResult> _flights = new();
    private Prefetcher? _prefetch;

    /// <summary>Read-ahead counters; <c>Enabled</c> is false when prefetching is off (or offline).</summary>
    public PrefetchStatus PrefetchStatus => _prefetch?.Status ?? PrefetchStatus.Off;

    /// <summary>Fetches started so far (one per uncached artifact, however many requests wanted it).</summary>
    internal long FetchesStarted => _flights.Started;

    /// <summary>Fetches still running (tests wait for a finished flight to be gone).</summary>
    internal int FetchesInProgress => _flights.InProgress;

    /// <summary>
    /// Waits (bounded) for running fetches: an artifact is answered before its durable commit, so a clean
    /// shutdown lets those commits finish instead of leaving temp files to be fetched again.
    /// </summary>
    internal bool WaitForFetches(TimeSpan timeout)
    {
        // Wall-clock on purpose: a fake TimeProvider in tests must not make shutdown wait forever.
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (_flights.InProgress > 0)
        {
            if (Environment.TickCount64 >= deadline)
            {
                return false;
            }

            Thread.Sleep(5);
        }

        return true;
    }

    /// <summary>
    /// Starts the read-ahead (<see cref="ModuleResolverOptions.Prefetch"/>); separate from the constructor so the
    /// prefetcher's workers never see a half-built resolver.
    /// </summary>
    internal void StartPrefetching(ILogger prefetchLogger)
    {
        if (options.Prefetch != PrefetchKinds.None && !options.Offline && _prefetch is null)
        {
            _prefetch = new Prefetcher(ResolveOnlyAsync, options.Prefetch, options.PrefetchConcurrency, prefetchLogger);
        }
    }

    /// <summary>Stops the read-ahead; fetches it already started finish in their flights (see <see cref="WaitForFetches"/>).</summary>
    public void Dispose() => _prefetch?.Dispose();

    /// <summary>A client's request: resolved, then what it implies for the read-ahead is offered to the prefetcher.</summary>
    public async Task<ResolveResult> ResolveAsync(ModuleRequest request, CancellationToken ct)
    {
        var result = await ResolveOnlyAsync(request, ct).ConfigureAwait(false);
        _prefetch?.After(request, result);
        return result;
    }

    /// <summary>A client's .info of M@V was answered from a cache in front of the resolver (the server's memory cache).</summary>
    public void NoteInfoRequested(Moddock.Modules.ModulePath path, Moddock.Modules.ModuleVersion version) => _prefetch?.AfterInfo(path, version);

    /// <summary>The request flow without read-ahead: what the prefetcher itself calls, so it never chains further.</summary>
    private async Task<ResolveResult> ResolveOnlyAsync(ModuleRequest request, CancellationToken ct)
    {
        // 0. A canonical version (or list/@latest) is a store key; a branch or "v1.2" is a query only a source can answer.
        var target = ResolveTarget.From(request);
        if (target.Invalid is { } invalid)
        {
            return ResolveResult.Failed(invalid, target.InvalidReason!, CacheStatus.Bypass);
        }

        // 1. The store: .info/.mod/.zip forever, list/@latest while younger than the TTL.
        var cached = target.Key is { } key ? await _cache.ReadAsync(key, ct).ConfigureAwait(false) : null;
        if (cached is not null && cached.IsFresh(time.GetUtcNow(), options.ListTtl))
        {
            return cached.Serve(CacheStatus.Hit);
        }

        // 2. Asked recently and not found.
        if (_notFound.TryGet(target.Id, out var notFound, out var notFoundReason))
        {
            return ResolveResult.Failed(notFound, notFoundReason, CacheStatus.Hit);
        }

        // 3. Offline: the store is all there is (an old list/@latest included, and what stored versions answer a query).
        if (options.Offline)
        {
            if (target.IsQuery)
            {
                cached = await _cache.ReadOfflineQueryAsync(request.Path, request.Query!, ct).ConfigureAwait(false);
            }

            return cached?.Serve(CacheStatus.Stale)
                ?? ResolveResult.Failed(ResolveOutcome.NotFound, $"{request.Path}: not in the cache (offline mode)", CacheStatus.Miss);
        }

        // 4. One fetch per artifact, however many requests wait for it: fetched, verified, stored, then served.
        var fetched = await _flights.RunAsync(target.Id, answer => FetchLoggedAsync(target, answer), ct).ConfigureAwait(false);
        if (fetched.Outcome == ResolveOutcome.Found)
        {
            return fetched;
        }

        // 5. Not found is remembered briefly; when every source failed, an old list/@latest beats an error.
        if (fetched.Outcome is ResolveOutcome.NotFound or ResolveOutcome.Gone)
        {
            _notFound.Add(target.Id, fetched.Outcome, fetched.Reason!);
        }
        else if (cached is not null)
        {
            Log.ServingStale(logger, target.Id.Replace('\n', ' '), fetched.Reason);
            return cached.Serve(CacheStatus.Stale);
        }

        return fetched;
    }

    private async Task FetchLoggedAsync(ResolveTarget target, Action<ResolveResult> answer)
    {
        try
        {
            await FetchAsync(target, answer).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A bug or an I/O failure of the store: the waiters get the exception, the log gets the detail.
            Log.FetchCrashed(logger, target.Id.Replace('\n', ' '), e);
            throw;
        }
    }

    private async Task FetchAsync(ResolveTarget target, Action<ResolveResult> answer)
    {
        // Another flight may have stored it between our store check and this flight starting.
        if (target.Key is { } key && await _cache.ReadAsync(key, CancellationToken.None).ConfigureAwait(false) is { } stored
            && stored.IsFresh(time.GetUtcNow(), options.ListTtl))
        {
            answer(stored.Serve(CacheStatus.Hit));
            return;
        }

        var path = target.Path;
        var version = target.Key?.Version;

        // The .mod/.zip cases below start the checksum-database lookup before any source has confirmed that M@V
        // exists, so the round trip overlaps the download. That is acceptable: paths the database must not see
        // (nosumdb, which defaults to the private patterns as GONOSUMDB defaults to GOPRIVATE) are never looked
        // up, and any other M@V is sent to the upstream in the same instant (for proxy.golang.org, the operator
        // of sum.golang.org) and would be looked up by the go command itself once its download succeeds. The
        // only extra is one lookup for a version that turns out not to exist; go clients ask for .mod/.zip of
        // versions that list/.info already reported, and the lookup decides nothing (verification does).
        switch (target.Request.Kind)
        {
            case ArtifactKind.List:
                answer(await fetcher.ListAsync(path).ConfigureAwait(false));
                break;
            case ArtifactKind.Latest:
                answer(await fetcher.LatestAsync(path).ConfigureAwait(false));
                break;
            case ArtifactKind.Info:
                await fetcher.InfoAsync(path, target.Request.Query!, version, answer).ConfigureAwait(false);
                break;
            case ArtifactKind.Mod:
                fetcher.StartChecksumLookup(path, version!.Value);
                await fetcher.ModAsync(path, version.Value, answer).ConfigureAwait(false);
                break;
            case ArtifactKind.Zip:
                fetcher.StartChecksumLookup(path, version!.Value);
                await fetcher.ZipAsync(path, version.Value, answer).ConfigureAwait(false);
                break;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "serving stale {Artifact}: every source failed: {Reason}")]
        public static partial void ServingStale(ILogger logger, string artifact, string? reason);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "fetching {Artifact} failed unexpectedly")]
        public static partial void FetchCrashed(ILogger logger, string artifact, Exception exception);
    }
}
