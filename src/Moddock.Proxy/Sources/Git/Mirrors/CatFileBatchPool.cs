namespace Moddock.Proxy.Sources.Git.Mirrors;

/// <summary>
/// A global bound on live `git cat-file --batch` processes (one per mirror at most), so that reading
/// from hundreds of mirrors does not leave hundreds of idle git processes and their pipes behind. The
/// bound is the configured git concurrency (direct.git-concurrency): at most that many batch processes
/// live alongside at most that many one-shot git commands (GitRunner's own cap).
/// A batch that needs a process and finds the bound reached stops the least recently used idle one;
/// a busy one (in the middle of a read) is never stopped. When every live one is busy, the caller
/// waits until one becomes idle or stops, up to the given time, and then reads with a one-shot command.
/// </summary>
/// <remarks>
/// Lock order: a batch calls in here while holding its own gate; the pool's lock is never held while
/// taking a gate, and another batch's gate is only ever tried without waiting (TryStopIdle), so no
/// cycle can form with the mirror lock → file lock → batch gate order.
/// </remarks>
internal sealed class CatFileBatchPool(int capacity)
{
    private readonly object _sync = new();
    private readonly HashSet<CatFileBatch> _live = [];
    private readonly LinkedList<CatFileBatch> _idle = new(); // least recently used first
    private readonly Dictionary<CatFileBatch, LinkedListNode<CatFileBatch>> _idleNodes = [];
    private int _peak;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Capacity { get; } = Math.Max(1, capacity);

    /// <summary>Batches holding a process (or about to start one) right now.</summary>
    public int Live
    {
        get
        {
            lock (_sync)
            {
                return _live.Count;
            }
        }
    }

    /// <summary>The most batches live at once so far (tests check it never exceeds Capacity).</summary>
    public int PeakLive
    {
        get
        {
            lock (_sync)
            {
                return _peak;
            }
        }
    }

    /// <summary>
    /// Called by a batch (holding its gate) that has no process: true when it may start one, false when
    /// every live batch stayed busy for the whole wait. The caller must call Released when its process
    /// goes away (or when starting it failed).
    /// </summary>
    public async Task<bool> ReserveAsync(CatFileBatch batch, TimeSpan wait, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            CatFileBatch? victim = null;
            Task changed;
            lock (_sync)
            {
                if (_live.Contains(batch) || _live.Count < Capacity)
                {
                    _live.Add(batch);
                    _peak = Math.Max(_peak, _live.Count);
                    RemoveIdle(batch);
                    return true;
                }

                if (_idle.First is { } lru)
                {
                    victim = lru.Value;
                    RemoveIdle(victim);
                }

                changed = _changed.Task;
            }

            if (victim is not null)
            {
                // Fails only when the victim's owner has just taken its gate for a read: then it is busy,
                // and it will be idle again (and signal) when that read ends.
                victim.TryStopIdle();
                continue;
            }

            var left = wait - System.Diagnostics.Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await changed.WaitAsync(left, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
    }

    /// <summary>The batch is reading: it must not be stopped to make room.</summary>
    public void Busy(CatFileBatch batch)
    {
        lock (_sync)
        {
            RemoveIdle(batch);
        }
    }

    /// <summary>The batch finished a read and keeps its process: the most recently used, stopped last.</summary>
    public void Idle(CatFileBatch batch)
    {
        lock (_sync)
        {
            if (_live.Contains(batch))
            {
                RemoveIdle(batch);
                _idleNodes[batch] = _idle.AddLast(batch);
                Signal();
            }
        }
    }

    /// <summary>The batch's process is gone (stopped, killed, or never started).</summary>
    public void Released(CatFileBatch batch)
    {
        lock (_sync)
        {
            RemoveIdle(batch);
            if (_live.Remove(batch))
            {
                Signal();
            }
        }
    }

    private void RemoveIdle(CatFileBatch batch)
    {
        if (_idleNodes.Remove(batch, out var node))
        {
            _idle.Remove(node);
        }
    }

    private void Signal()
    {
        var old = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
    }
}
