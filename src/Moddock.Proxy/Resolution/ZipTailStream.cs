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
/// </summary>
internal sealed class ZipTailStream(ZipStaging staging, long length, bool releaseWhenVerified = false) : Stream
{
    private int _generation = staging.Current.Generation;
    private long _position;
    private readonly IncrementalHash _delivered = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private SafeFileHandle? _file;
    private byte[]? _prefixToConfirm;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

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
            var next = staging.NextChange;
            var s = staging.Current;
            if (s.State == ZipStaging.ZipState.Failed)
            {
                throw new IOException($"download aborted: {s.Failure}");
            }

            if (s.Generation != _generation)
            {
                if (s.Announced is { } a && a != length)
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

            if (Complete(s) && s.Written != length)
            {
                throw new IOException($"download aborted: the verified zip has {s.Written} bytes, {length} were announced");
            }

            var limit = Complete(s) ? length : Math.Min(s.Written, length - 1);
            if (_position >= length && Complete(s))
            {
                return 0;
            }

            if (_position < limit && Open(s))
            {
                var want = (int)Math.Min(buffer.Length, limit - _position);
                var n = await RandomAccess.ReadAsync(_file!, buffer[..want], _position, cancellationToken).ConfigureAwait(false);
                if (n > 0)
                {
                    _delivered.AppendData(buffer.Span[..n]);
                    _position += n;
                    return n;
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
        if (disposing)
        {
            _file?.Dispose();
            _delivered.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task ConfirmPrefixAsync(ZipStaging.Snapshot s, CancellationToken ct)
    {
        if (!Open(s))
        {
            throw new IOException("download aborted: the restarted transfer could not be read");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        for (long offset = 0; offset < _position;)
        {
            var n = await RandomAccess.ReadAsync(_file!, buffer.AsMemory(0, (int)Math.Min(buffer.Length, _position - offset)), offset, ct).ConfigureAwait(false);
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
        s.State == ZipStaging.ZipState.Committed || (releaseWhenVerified && s.State == ZipStaging.ZipState.Verified);

    // The temp file, or once it has been renamed into place, the stored file (same bytes).
    private bool Open(ZipStaging.Snapshot s)
    {
        if (_file is not null)
        {
            return true;
        }

        foreach (var path in new[] { staging.TempPath, s.FinalPath })
        {
            if (path is null)
            {
                continue;
            }

            try
            {
                _file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
                return true;
            }
            catch (FileNotFoundException)
            {
            }
        }

        return false;
    }
}
