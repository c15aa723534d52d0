namespace Moddock.Proxy.Resolution;

/// <summary>
/// The write side of a zip download: passes writes to the staged temp file and tells readers
/// (<see cref="ZipTailStream"/>) how far it got, whether it restarted, and how it ended.
/// </summary>
internal sealed class ZipStaging(Stream inner, string tempPath) : Stream, Sources.Upstream.IAnnouncedLength
{
    private readonly object _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Snapshot _state = new(0, 0, null, ZipState.Writing, null, null);

    public event Action<long>? LengthAnnounced;

    public string TempPath => tempPath;

    public override bool CanRead => false;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public Snapshot Current
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>A task that completes at the next change; take it before reading <see cref="Current"/>.</summary>
    public Task NextChange
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    public void Announce(long? length)
    {
        if (length is { } l)
        {
            Update(s => s with { Announced = l });
            LengthAnnounced?.Invoke(l);
        }
    }

    /// <summary>The whole zip passed verification: readers may deliver its last byte, before the durable commit.</summary>
    public void Verified() => Update(s => s.State == ZipState.Writing ? s with { State = ZipState.Verified } : s);

    public void Committed(string finalPath) => Update(s => s with { State = ZipState.Committed, FinalPath = finalPath });

    /// <summary>
    /// The download, its verification or its commit failed: readers still following it throw. After
    /// <see cref="Verified"/> this only happens when the commit fails, and the temp file is deleted.
    /// </summary>
    public void Failed(string reason) => Update(s => s.State is ZipState.Writing or ZipState.Verified ? s with { State = ZipState.Failed, Failure = reason } : s);

    public override void SetLength(long value)
    {
        inner.SetLength(value);
        if (value == 0)
        {
            Update(s => s with { Generation = s.Generation + 1, Written = 0, Announced = null });
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);

        // Readers use positional reads on their own handle: flush the FileStream buffer first.
        await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        Update(s => s with { Written = s.Written + buffer.Length });
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        inner.Flush();
        Update(s => s with { Written = s.Written + count });
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    private void Update(Func<Snapshot, Snapshot> change)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _state = change(_state);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    internal enum ZipState
    {
        Writing,
        Verified,
        Committed,
        Failed,
    }

    internal sealed record Snapshot(int Generation, long Written, long? Announced, ZipState State, string? FinalPath, string? Failure);
}
