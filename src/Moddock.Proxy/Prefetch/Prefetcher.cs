using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Moddock.Modules;

namespace Moddock.Proxy.Prefetch;

/// <summary>
/// Read-ahead: after answering a client, fetches what the go command will ask for next (<see cref="PrefetchKinds"/>)
/// through the same resolver, so it is single-flighted with client requests, verified and stored like any miss,
/// and a client that asks meanwhile joins the fetch instead of starting its own. Bounded: a fixed number of
/// workers, a bounded queue that drops work when full, each artifact offered once. Never fails a client: a
/// prefetch that fails is only counted and logged at debug level, and the client's own request decides.
/// </summary>
internal sealed partial class Prefetcher : IDisposable
{
    private const int QueueCapacity = 4096;

    // Offered keys are remembered so that a go.mod is read and an artifact queued once, not per request;
    // the set is cleared when it grows past this, which only costs a repeated store lookup.
    private const int RememberedLimit = 100_000;

    // A go.mod larger than this is not read for requirements (proxy.golang.org's largest are well under 1 MiB).
    private const int MaxGoModBytes = 4 << 20;

    private readonly Func<ModuleRequest, CancellationToken, Task<ResolveResult>> _fetch;
    private readonly PrefetchKinds _kinds;
    private readonly ILogger _logger;
    private readonly Channel<PrefetchWork> _queue = Channel.CreateBounded<PrefetchWork>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleWriter = false, SingleReader = false });

    private readonly ConcurrentDictionary<string, byte> _offered = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private long _queued;
    private long _fetched;
    private long _failed;
    private long _dropped;

    public Prefetcher(Func<ModuleRequest, CancellationToken, Task<ResolveResult>> fetch, PrefetchKinds kinds, int concurrency, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        _fetch = fetch;
        _kinds = kinds;
        _logger = logger;
        _workers = [.. Enumerable.Range(0, concurrency).Select(_ => Task.Run(WorkAsync))];
    }

    public PrefetchStatus Status => new(
        true,
        Interlocked.Read(ref _queued),
        Interlocked.Read(ref _fetched),
        Interlocked.Read(ref _failed),
        Interlocked.Read(ref _dropped));

    /// <summary>Offers what follows a client's request that was answered with <paramref name="result"/>.</summary>
    public void After(ModuleRequest request, ResolveResult result)
    {
        if (result.Outcome != ResolveOutcome.Found || result.Content is null || request.Query is not { } query
            || !ModuleVersion.TryParse(query, out var version, out _))
        {
            return;
        }

        switch (request.Kind)
        {
            case ArtifactKind.Mod:
                if (_kinds.HasFlag(PrefetchKinds.Requirements))
                {
                    Offer($"requires\n{request.Path.Value}@{version.Value}", new PrefetchWork(request.Path, version, null, result.Content));
                }

                if (_kinds.HasFlag(PrefetchKinds.Infos))
                {
                    OfferFetch(new ModuleRequest(request.Path, ArtifactKind.Info, version.Value));
                }

                break;
            case ArtifactKind.Info:
                AfterInfo(request.Path, version);
                break;
        }
    }

    /// <summary>A client asked for the .info of a canonical version (resolved, or answered from a memory cache).</summary>
    public void AfterInfo(ModulePath path, ModuleVersion version)
    {
        if (_kinds.HasFlag(PrefetchKinds.Zips))
        {
            OfferFetch(new ModuleRequest(path, ArtifactKind.Zip, version.Value));
        }
    }

    /// <summary>Stops taking work and cancels waiting work; fetches already started finish in their flights.</summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _queue.Writer.TryComplete();
        _stop.Cancel();
        try
        {
            Task.WaitAll(_workers, TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Workers end by cancellation; nothing to report.
        }

        _stop.Dispose();
    }

    private void OfferFetch(ModuleRequest request) =>
        Offer($"{request.Kind}\n{request.Path.Value}@{request.Query}", new PrefetchWork(request.Path, default, request, null));

    private void Offer(string key, PrefetchWork work)
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        if (_offered.Count >= RememberedLimit)
        {
            _offered.Clear();
        }

        if (!_offered.TryAdd(key, 0))
        {
            return;
        }

        if (_queue.Writer.TryWrite(work))
        {
            Interlocked.Increment(ref _queued);
        }
        else
        {
            // Full (or stopping): forget the key so a later request may offer it again.
            _offered.TryRemove(key, out _);
            Interlocked.Increment(ref _dropped);
        }
    }

    private async Task WorkAsync()
    {
        try
        {
            await foreach (var work in _queue.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    if (work.GoMod is { } goMod)
                    {
                        OfferRequirements(work.Path, work.Version, goMod);
                    }
                    else
                    {
                        await FetchAsync(work.Request!).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // A store I/O failure or a bug: the client's own request will meet it and report it.
                    Interlocked.Increment(ref _failed);
                    Log.Crashed(_logger, work.Path.Value, e);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task FetchAsync(ModuleRequest request)
    {
        var result = await _fetch(request, _stop.Token).ConfigureAwait(false);
        if (result.Outcome == ResolveOutcome.Found)
        {
            Interlocked.Increment(ref _fetched);
            Log.Fetched(_logger, request.Kind, request.Path.Value, request.Query, result.Cache);
        }
        else
        {
            Interlocked.Increment(ref _failed);
            Log.NotFetched(_logger, request.Kind, request.Path.Value, request.Query, result.Outcome, result.Reason);
        }
    }

    private void OfferRequirements(ModulePath path, ModuleVersion version, ArtifactContent goMod)
    {
        if (goMod.Length is < 0 or > MaxGoModBytes)
        {
            return;
        }

        byte[] bytes;
        using (var stream = goMod.Open(_stop.Token))
        {
            bytes = new byte[goMod.Length];
            stream.ReadExactly(bytes);
        }

        if (!GoModFile.TryParse(bytes, out var file, out _) || file is null)
        {
            return;
        }

        var offered = 0;
        foreach (var r in file.Requires)
        {
            // Lax parsing keeps versions such as "v1.2" that only the go command resolves; those, and paths
            // that are not module paths, are left to the client.
            if (ModulePath.TryParse(r.Path, out var required, out _) && ModuleVersion.TryParse(r.Version, out var v, out _))
            {
                OfferFetch(new ModuleRequest(required, ArtifactKind.Mod, v.Value));
                offered++;
            }
        }

        Log.Requirements(_logger, path.Value, version.Value, offered);
    }

    /// <summary>An artifact to fetch (<see cref="Request"/>), or a go.mod whose requirements to offer (<see cref="GoMod"/>).</summary>
    private readonly record struct PrefetchWork(ModulePath Path, ModuleVersion Version, ModuleRequest? Request, ArtifactContent? GoMod);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3301, Level = LogLevel.Debug, Message = "prefetched {Kind} {Module}@{Version}: {Cache}")]
        public static partial void Fetched(ILogger logger, ArtifactKind kind, string module, string? version, CacheStatus cache);

        [LoggerMessage(EventId = 3302, Level = LogLevel.Debug, Message = "prefetch of {Kind} {Module}@{Version}: {Outcome}: {Reason}")]
        public static partial void NotFetched(ILogger logger, ArtifactKind kind, string module, string? version, ResolveOutcome outcome, string? reason);

        [LoggerMessage(EventId = 3303, Level = LogLevel.Debug, Message = "{Module}@{Version}: offered {Count} requirements for prefetch")]
        public static partial void Requirements(ILogger logger, string module, string version, int count);

        [LoggerMessage(EventId = 3304, Level = LogLevel.Warning, Message = "prefetch for {Module} failed unexpectedly")]
        public static partial void Crashed(ILogger logger, string module, Exception exception);
    }
}
