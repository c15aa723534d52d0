using System.Collections.Concurrent;

namespace Moddock.Proxy.Resolution;

/// <summary>
/// At most one piece of work per key at a time: callers that arrive while it runs join it and get the same
/// answer. The work runs on its own (no caller's token), so one waiter giving up never cancels it for the
/// others. The work may publish its answer before it finishes (a zip starts streaming while it downloads);
/// the key stays taken until the work itself ends, so a late caller never starts a second download.
/// </summary>
internal sealed class SingleFlight<TKey, TResult>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<Flight>> _flights = new();
    private long _started;

    /// <summary>How many flights were started (tests count upstream work with it).</summary>
    public long Started => Interlocked.Read(ref _started);

    public int InProgress => _flights.Count;

    /// <summary>Runs (or joins) the work for <paramref name="key"/>; it calls its argument once with the answer.</summary>
    public Task<TResult> RunAsync(TKey key, Func<Action<TResult>, Task> work, CancellationToken waiterCt)
    {
        var lazy = _flights.GetOrAdd(key, k => new Lazy<Flight>(() => Start(k, work), LazyThreadSafetyMode.ExecutionAndPublication));
        return lazy.Value.Answer.Task.WaitAsync(waiterCt);
    }

    public Task<TResult> RunAsync(TKey key, Func<Task<TResult>> work, CancellationToken waiterCt) =>
        RunAsync(key, async answer => answer(await work().ConfigureAwait(false)), waiterCt);

    private Flight Start(TKey key, Func<Action<TResult>, Task> work)
    {
        Interlocked.Increment(ref _started);
        var flight = new Flight();
        var running = Task.Run(() => work(r => flight.Answer.TrySetResult(r)));
        _ = running.ContinueWith(
            t =>
            {
                _flights.TryRemove(key, out _);
                if (t.Exception is { } e)
                {
                    flight.Answer.TrySetException(e.InnerExceptions);
                }
                else
                {
                    flight.Answer.TrySetException(new InvalidOperationException("single-flight work ended without an answer"));
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return flight;
    }

    private sealed class Flight
    {
        public TaskCompletionSource<TResult> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
