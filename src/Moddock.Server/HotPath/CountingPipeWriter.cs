using System.IO.Pipelines;

namespace Moddock.Server.HotPath;

/// <summary>
/// Kestrel's output pipe during a <see cref="KestrelEpisode"/>, counting every byte Kestrel commits,
/// so the episode knows how many bytes make up the responses written so far and can tell when
/// the pump has put all of them on the socket.
/// </summary>
internal sealed class CountingPipeWriter(PipeWriter inner) : PipeWriter
{
    private long _written;

    /// <summary>Bytes committed (advanced or written) since the episode started.</summary>
    public long Written => Interlocked.Read(ref _written);

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;

    public override void Advance(int bytes)
    {
        inner.Advance(bytes);
        Interlocked.Add(ref _written, bytes);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _written, source.Length);
        return inner.WriteAsync(source, cancellationToken);
    }
}
