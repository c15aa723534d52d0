using System.IO.Pipelines;

namespace Moddock.Server.Endpoints;

/// <summary>
/// Writes an in-memory body into the response pipe. A body up to one chunk is copied and flushed
/// in one call that usually completes synchronously (no state machine, no allocation); a larger
/// one is copied a chunk at a time, flushing after each so that the pipe applies back-pressure
/// instead of buffering the whole body per connection.
/// </summary>
internal static class MemoryBodyWriter
{
    internal static readonly int ChunkSize = ReadChunkSize();

    public static Task WriteAsync(PipeWriter writer, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        if (body.Length <= ChunkSize)
        {
            var flush = writer.WriteAsync(body, ct);
            return flush.IsCompletedSuccessfully ? Task.CompletedTask : flush.AsTask();
        }

        return WriteChunkedAsync(writer, body, ct);
    }

    private static async Task WriteChunkedAsync(PipeWriter writer, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        while (body.Length > 0)
        {
            var n = Math.Min(ChunkSize, body.Length);
            var flush = await writer.WriteAsync(body[..n], ct);
            if (flush.IsCanceled || flush.IsCompleted)
            {
                return;
            }

            body = body[n..];
        }
    }

    // TEMP knob for the bench: MODDOCK_MEMORY_CHUNK_KIB.
    private static int ReadChunkSize() =>
        int.TryParse(Environment.GetEnvironmentVariable("MODDOCK_MEMORY_CHUNK_KIB"), out var k) && k > 0 ? k * 1024 : 64 * 1024;
}
