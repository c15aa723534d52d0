using Microsoft.Win32.SafeHandles;
using Moddock.Proxy.Storage;

namespace Moddock.Proxy.Resolution;

/// <summary>
/// The write side of a zip download: passes writes to the staged temp file and tells readers
/// (<see cref="ZipTailStream"/>) how far it got, whether it restarted, and how it ended.
/// </summary>
/// <remarks>
/// Every reader of this download reads through one read handle on the temp file, opened here before anything
/// is written and closed only when the flight (the owner) and every reader that took it are done. The bytes a
/// reader was promised (verified, and whose length its response announced) therefore stay readable whatever the
/// commit does to the name: renamed into place, or deleted because another process sharing the storage root
/// stored this version first (an open handle outlives the unlink on Linux and macOS). Reading the final path
/// instead could deliver that other process's file, which may differ in bytes and length.
/// </remarks>
internal sealed class ZipStaging : Stream, Sources.Upstream.IAnnouncedLength
{
    private readonly object _gate = new();
    private readonly Stream _inner;
    private readonly string _what;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Snapshot _state = new(0, 0, null, ZipState.Writing, null, null);
    private SafeFileHandle? _readHandle;
    private int _handleUsers = 1; // the owner (the flight) until it disposes this
    private bool _ownerReleased;

    public ZipStaging(Stream inner, string tempPath, string what)
    {
        _inner = inner;
        _what = what;
        _readHandle = File.OpenHandle(tempPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
    }

    public event Action<long>? LengthAnnounced;

    public override bool CanRead => false;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => _inner.Length;

    public override long Position
    {
        get => _inner.Position;
        set => _inner.Position = value;
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

    /// <summary>
    /// Stored. <paramref name="ours"/> is false when an existing copy won (another process stored the version
    /// first): <paramref name="finalPath"/> then holds that copy, not these bytes, and readers must not open it.
    /// </summary>
    public void Committed(string finalPath, bool ours) =>
        Update(s => s with { State = ZipState.Committed, FinalPath = ours ? finalPath : null, LostToExisting = !ours });

    /// <summary>
    /// A reader's share of the temp file's read handle, or null once the owner and every earlier reader are done
    /// (the handle is closed; a reader then opens the stored file if it is ours, or fails).
    /// Each non-null result must be given back with <see cref="ReleaseReadHandle"/>.
    /// </summary>
    public SafeFileHandle? AcquireReadHandle()
    {
        lock (_gate)
        {
            if (_handleUsers == 0)
            {
                return null;
            }

            _handleUsers++;
            return _readHandle;
        }
    }

    public void ReleaseReadHandle()
    {
        SafeFileHandle? close = null;
        lock (_gate)
        {
            if (--_handleUsers == 0)
            {
                close = _readHandle;
                _readHandle = null;
            }
        }

        close?.Dispose();
    }

    /// <summary>
    /// Verified, but the commit failed (disk full, storage deleted): the bytes are still good, and readers that hold
    /// the shared handle deliver all of them; nothing is stored.
    /// </summary>
    public void NotStored(string reason) => Update(s => s.State == ZipState.Verified ? s with { State = ZipState.NotStored, Failure = reason } : s);

    /// <summary>
    /// The download, its verification or its commit failed: readers still following it throw. After
    /// <see cref="Verified"/> this only happens when the commit fails, and the temp file is deleted.
    /// </summary>
    /// <param name="storage">The failure is Moddock's own storage's, which readers report as such (507, not 502).</param>
    public void Failed(string reason, bool storage = false) =>
        Update(s => s.State is ZipState.Writing or ZipState.Verified ? s with { State = ZipState.Failed, Failure = reason, StorageFailed = storage } : s);

    public override void SetLength(long value)
    {
        try
        {
            _inner.SetLength(value);
        }
        catch (Exception e) when (StorageFailureException.IsStorageError(e))
        {
            throw StorageFailed(e);
        }

        if (value == 0)
        {
            Update(s => s with { Generation = s.Generation + 1, Written = 0, Announced = null });
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);

            // Readers use positional reads on their own handle: flush the FileStream buffer first.
            await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StorageFailureException.IsStorageError(e))
        {
            throw StorageFailed(e);
        }

        Update(s => s with { Written = s.Written + buffer.Length });
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        try
        {
            _inner.Write(buffer, offset, count);
            _inner.Flush();
        }
        catch (Exception e) when (StorageFailureException.IsStorageError(e))
        {
            throw StorageFailed(e);
        }

        Update(s => s with { Written = s.Written + count });
    }

    public override void Flush()
    {
        try
        {
            _inner.Flush();
        }
        catch (Exception e) when (StorageFailureException.IsStorageError(e))
        {
            throw StorageFailed(e);
        }
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StorageFailureException.IsStorageError(e))
        {
            throw StorageFailed(e);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

    protected override void Dispose(bool disposing)
    {
        // The staged file owns the write stream; this only gives up the owner's share of the read handle.
        if (disposing && !_ownerReleased)
        {
            _ownerReleased = true;
            ReleaseReadHandle();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// A write to our own temp file failed (disk full, file system gone read-only). Not an <see cref="IOException"/>,
    /// which the sources would take for the upstream connection failing: retried, and blamed on a healthy upstream.
    /// </summary>
    private StorageFailureException StorageFailed(Exception e) => new($"cannot store {_what} in the storage: {e.Message}", e);

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

        /// <summary>Verified and complete, but the commit failed: deliverable from the shared handle, not stored.</summary>
        NotStored,
        Failed,
    }

    /// <param name="FinalPath">The stored file when it holds these bytes (committed, and ours won).</param>
    /// <param name="LostToExisting">Committed, but an existing copy was kept instead of these bytes.</param>
    internal sealed record Snapshot(int Generation, long Written, long? Announced, ZipState State, string? FinalPath, string? Failure, bool LostToExisting = false, bool StorageFailed = false);
}
