using System.Collections.Concurrent;

namespace Moddock.Proxy.Resolution;

/// <summary>
/// At most one piece of work per key at a time: callers that arrive while it runs join it and get its
/// result. The work runs on its own token, so one waiter giving up never cancels it for the others.
/// </summary>
internal sealed class SingleFlight<TKey, TResult>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<Task<TResult>>> _flights = new();
    private long _started;

    /// <summary>How many flights were started (tests count upstream work with it).</summary>
    public long Started => Interlocked.Read(ref _started);

    public Task<TResult> RunAsync(TKey key, Func<Task<TResult>> work, CancellationToken waiterCt)
    {
        var lazy = _flights.GetOrAdd(key, k => new Lazy<Task<TResult>>(() => Start(k, work), LazyThreadSafetyMode.ExecutionAndPublication));
        return lazy.Value.WaitAsync(waiterCt);
    }

    private Task<TResult> Start(TKey key, Func<Task<TResult>> work)
    {
        Interlocked.Increment(ref _started);
        var task = Task.Run(work);
        _ = task.ContinueWith(
            _ => _flights.TryRemove(key, out var _),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return task;
    }
}
