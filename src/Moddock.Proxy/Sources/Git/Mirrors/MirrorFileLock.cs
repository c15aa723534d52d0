namespace Moddock.Proxy.Sources.Git.Mirrors;

/// <summary>
/// An exclusive OS lock on a lock file next to a mirror, so that two Moddock processes sharing one
/// storage directory never run git commands that write the same mirror at once. On Unix, .NET opens a
/// file with FileShare.None under flock(LOCK_EX | LOCK_NB): the lock belongs to the open file, so two
/// holders conflict whether they are two processes or two instances in one process, and the kernel
/// drops it when the holder dies (a crashed process never leaves a stale lock behind).
/// </summary>
internal sealed class MirrorFileLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private readonly FileStream _file;

    private MirrorFileLock(FileStream file) => _file = file;

    /// <summary>Waits for the lock, up to timeout (then a Timeout failure naming the lock file).</summary>
    public static async Task<MirrorFileLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            if (TryAcquire(path) is { } held)
            {
                return held;
            }

            if (System.Diagnostics.Stopwatch.GetElapsedTime(started) >= timeout)
            {
                throw new DirectFailureException(
                    DirectFailureKind.Timeout,
                    $"mirror {Path.GetFileName(path)} stayed locked by another process for {timeout.TotalSeconds:0.#}s");
            }

            await Task.Delay(Poll, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The lock if nobody holds it now, else null.</summary>
    public static MirrorFileLock? TryAcquire(string path)
    {
        try
        {
            return new MirrorFileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Held by someone else (a sharing violation): the caller waits.
            return null;
        }
    }

    public void Dispose() => _file.Dispose();
}
