using Microsoft.AspNetCore.Http.Features;
using Microsoft.Win32.SafeHandles;

namespace Moddock.Server.Endpoints;

/// <summary>
/// Writes a stored file as the response body. Kestrel has no sendfile(2) path: its
/// SendFileAsync reads the file through a FileStream into a buffer and copies that buffer into
/// the response pipe. Reading straight into the pipe's own memory with positional reads saves
/// that copy and the stream layer (see bench/results/serve.md for what each variant measured).
/// </summary>
internal static class FileBodyWriter
{
    /// <summary>Reads of this size keep the syscall count low without holding large buffers per connection.</summary>
    private const int ChunkSize = 64 * 1024;

    public static async Task WriteAsync(HttpContext context, string path, long length, CancellationToken ct)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        await WriteAsync(context, handle, length, ct);
    }

    /// <summary>Writes from an open handle with positional reads (the handle's position is never used, so it may be shared).</summary>
    public static async Task WriteAsync(HttpContext context, SafeFileHandle handle, long length, CancellationToken ct)
    {
        var body = context.Features.Get<IHttpResponseBodyFeature>()!;
        var writer = body.Writer;
        long offset = 0;
        var end = length >= 0 ? length : RandomAccess.GetLength(handle);
        while (offset < end)
        {
            var want = (int)Math.Min(ChunkSize, end - offset);
            var read = ReadInto(handle, writer.GetSpan(want)[..want], offset);
            if (read == 0)
            {
                throw new IOException($"stored file ended at {offset} of {end} bytes");
            }

            writer.Advance(read);
            offset += read;
            var flush = await writer.FlushAsync(ct);
            if (flush.IsCanceled || flush.IsCompleted)
            {
                return;
            }
        }
    }

    // Page-cached reads finish in microseconds; a synchronous positional read avoids a thread-pool hop per chunk.
    private static int ReadInto(SafeFileHandle handle, Span<byte> destination, long offset) => RandomAccess.Read(handle, destination, offset);
}
