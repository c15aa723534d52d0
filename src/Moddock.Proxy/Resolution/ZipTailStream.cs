using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Moddock.Proxy.Resolution;

/// <summary>
/// Reads a zip while it is being downloaded, following <see cref="ZipStaging"/>. The last byte is held
/// back until the zip has passed verification (and, unless <paramref name="releaseWhenVerified"/>, until it
/// is stored: a streamed large zip stays "complete only when stored", so the client's next request is a hit); if it fails, the read throws
/// <see cref="IOException"/>, so a client sees an aborted transfer, never a complete bad zip.
/// When the download restarts (a retry, or the next <c>|</c> upstream) after this reader has delivered
/// bytes, it continues only if the new download begins with exactly those bytes (SHA-256 of the prefix).
/// Bytes are read from the staging's shared handle on the temp file (see <see cref="ZipStaging"/>), so every
/// reader gets the bytes that were verified and whose length was announced, even if another process stored a
/// different copy of the version first. Once its bytes are final, a read that finds fewer bytes than announced
/// throws rather than waiting for a change that will never come.
/// </summary>
internal sealed class ZipTailStream : Stream
{
    private readonly ZipStaging _staging;
    private readonly long _length;
    private readonly bool _releaseWhenVerified;
    private readonly IncrementalHash _delivered = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly bool _sharesHandle;
    private int _generation;
    private long _position;
    private SafeFileHandle? _file;
    private byte[]? _prefixToConfirm;
    private bool _disposed;

    public ZipTailStream(ZipStaging staging, long length, bool releaseWhenVerified = false)
    {
        _staging = staging;
        _length = length;
        _releaseWhenVerified = releaseWhenVerified;
        _generation = staging.Current.Generation;

        // Taken now, when the response that announced this length starts, not at the first read: the flight may
        // end (and close the handle) in between.
        _file = staging.AcquireReadHandle();
        _sharesHandle = _file is not null;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0)
        {
            return 0;
        }

        while (true)
        {
            var next = _staging.NextChange;
            var s = _staging.Current;
            if (s.State == ZipStaging.ZipState.Failed)
            {
                throw s.StorageFailed ? new ArtifactNotStoredException(s.Failure!) : new IOException($"download aborted: {s.Failure}");
            }

            if (s.Generation != _generation)
            {
                if (s.Announced is { } a && a != _length)
                {
                    throw new IOException("download aborted: the restarted transfer has a different length");
                }

                _generation = s.Generation;
                if (_position > 0)
                {
                    _prefixToConfirm = _delivered.GetCurrentHash();
                }
            }

            if (_prefixToConfirm is not null)
            {
                if (s.Written < _position && !Complete(s))
                {
                    await next.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await ConfirmPrefixAsync(s, cancellationToken).ConfigureAwait(false);
            }

            if (Complete(s) && s.Written != _length)
            {
                throw new IOException($"download aborted: the verified zip has {s.Written} bytes, {_length} were announced");
            }

            var limit = Complete(s) ? _length : Math.Min(s.Written, _length - 1);
            if (_position >= _length && Complete(s))
            {
                return 0;
            }

            if (_position < limit)
            {
                var want = (int)Math.Min(buffer.Length, limit - _position);
                var n = await RandomAccess.ReadAsync(Handle(s), buffer[..want], _position, cancellationToken).ConfigureAwait(false);
                if (n > 0)
                {
                    _delivered.AppendData(buffer.Span[..n]);
                    _position += n;
                    return n;
                }

                // Final bytes (verified or stored) end before the announced length: no later change can supply
                // the rest, so waiting would hang the response. Fail it; the client retries.
                if (Complete(s))
                {
                    throw new IOException($"download aborted: the zip ends at {_position} of {_length} announced bytes");
                }
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            if (_sharesHandle)
            {
                _staging.ReleaseReadHandle();
            }
            else
            {
                _file?.Dispose();
            }

            _file = null;
            _delivered.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task ConfirmPrefixAsync(ZipStaging.Snapshot s, CancellationToken ct)
    {
        var file = Handle(s);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        for (long offset = 0; offset < _position;)
        {
            var n = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, (int)Math.Min(buffer.Length, _position - offset)), offset, ct).ConfigureAwait(false);
            if (n == 0)
            {
                throw new IOException("download aborted: the restarted transfer is shorter than what was already sent");
            }

            hash.AppendData(buffer, 0, n);
            offset += n;
        }

        if (!hash.GetCurrentHash().AsSpan().SequenceEqual(_prefixToConfirm))
        {
            throw new IOException("download aborted: the restarted transfer differs from what was already sent");
        }

        _prefixToConfirm = null;
    }

    // Every byte may be delivered: stored, or verified when the answer was made after verification.
    private bool Complete(ZipStaging.Snapshot s) =>
        s.State is ZipStaging.ZipState.Committed or ZipStaging.ZipState.NotStored || (_releaseWhenVerified && s.State == ZipStaging.ZipState.Verified);

    // The shared handle on the temp file (the bytes this answer promised), taken when this stream was created.
    // Created after the flight ended (its handle closed): the stored file if it is this download's own, else fail,
    // because the copy another process stored may differ from what this response announced. Either failure before
    // the first byte is ArtifactSupersededException, on which the server asks the resolver again.
    private SafeFileHandle Handle(ZipStaging.Snapshot s)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_file is not null)
        {
            return _file;
        }

        if (s.State == ZipStaging.ZipState.Committed && s.FinalPath is { } stored)
        {
            try
            {
                _file = File.OpenHandle(stored, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.Asynchronous);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // Deleted since the commit (by hand, or discarded as damaged): nothing of it was sent, so the request
                // is asked again rather than failed; the resolver finds it missing and fetches it anew.
                throw new ArtifactSupersededException("download aborted: the stored zip was removed after it was stored; retry to fetch it again", e);
            }

            return _file;
        }

        if (s.LostToExisting)
        {
            throw new ArtifactSupersededException();
        }

        if (s.State == ZipStaging.ZipState.NotStored)
        {
            throw new IOException($"download aborted: {s.Failure}");
        }

        throw new IOException("download aborted: the downloaded zip is no longer readable");
    }
}
