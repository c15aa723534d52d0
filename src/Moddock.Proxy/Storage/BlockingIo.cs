using System.Collections.Concurrent;

namespace Moddock.Proxy.Storage;

/// <summary>
/// A few dedicated threads for the blocking system calls of a durable commit (fsync of the file, close,
/// rename, fsync of the directory). Each takes 0.4–3 ms on a loaded disk; run on the shared thread pool,
/// a burst of misses (the go command fetches many go.mod files at once) tied up its few threads and
/// delayed every request behind them until the pool grew. Several threads, because concurrent fsyncs
/// share the file system's journal commits.
/// </summary>
internal static class BlockingIo
{
    private const int Threads = 4;
    private static readonly BlockingCollection<(Action Work, TaskCompletionSource Done)> Queue = Start();

    /// <summary>Runs <paramref name="work"/> on one of the I/O threads; the task carries its exception.</summary>
    public static Task RunAsync(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add((work, done));
        return done.Task;
    }

    private static BlockingCollection<(Action, TaskCompletionSource)> Start()
    {
        var queue = new BlockingCollection<(Action, TaskCompletionSource)>();
        for (var i = 0; i < Threads; i++)
        {
            new Thread(() => Drain(queue)) { IsBackground = true, Name = "moddock-durable-io" }.Start();
        }

        return queue;
    }

    private static void Drain(BlockingCollection<(Action Work, TaskCompletionSource Done)> queue)
    {
        foreach (var (work, done) in queue.GetConsumingEnumerable())
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception e)
            {
                // Handed to the awaiting commit, which surfaces it like any other I/O failure.
                done.SetException(e);
            }
        }
    }
}
