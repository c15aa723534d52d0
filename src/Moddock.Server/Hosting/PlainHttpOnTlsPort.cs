using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Moddock.Server.Hosting;

/// <summary>
/// Connection middleware in front of TLS on an https listener: a connection whose first byte is an upper-case
/// ASCII letter is plain HTTP (a request line starts with its method; a TLS record with 0x16), so it gets one
/// 400 saying to use https, instead of a closed connection that the go command reports as a bare "EOF" and curl
/// as "Empty reply from server". Anything else goes on to the TLS handshake, unread.
/// </summary>
internal static class PlainHttpOnTlsPort
{
    /// <summary>How long a new connection may send nothing at all (Kestrel's TLS handshake timeout starts after).</summary>
    internal static readonly TimeSpan FirstByteTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Most bytes of the plain request read (and dropped) before answering, so closing does not reset the answer away.</summary>
    private const int MaxDrain = 16 * 1024;

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(TimeProvider time, ILogger logger) =>
        next => context => RunAsync(context, next, time, logger);

    private static async Task RunAsync(ConnectionContext context, ConnectionDelegate next, TimeProvider time, ILogger logger)
    {
        var input = context.Transport.Input;
        ReadResult read;
        using (var timeout = new CancellationTokenSource(FirstByteTimeout, time))
        {
            try
            {
                read = await input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return; // silent past the timeout: closed, as a stalled TLS handshake would be
            }
        }

        var buffer = read.Buffer;
        if (buffer.IsEmpty || buffer.FirstSpan[0] is < (byte)'A' or > (byte)'Z')
        {
            input.AdvanceTo(buffer.Start); // examined nothing: the TLS layer reads the same bytes
            if (!buffer.IsEmpty)
            {
                await next(context);
            }

            return;
        }

        var isHead = buffer.Length >= 5 && buffer.Slice(0, 5).ToArray().AsSpan().SequenceEqual("HEAD "u8);
        input.AdvanceTo(buffer.End);
        var address = context.LocalEndPoint?.ToString() ?? "this address";
        var body = Encoding.UTF8.GetBytes($"this port speaks https only: use https://{address} (for the go command: GOPROXY=https://{address})\n");
        var head = Encoding.ASCII.GetBytes(
            "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + body.Length.ToString(CultureInfo.InvariantCulture) + "\r\nConnection: close\r\n\r\n");
        TlsLog.PlainHttp(logger, context.RemoteEndPoint?.ToString() ?? "?", address);
        try
        {
            var output = context.Transport.Output;
            await output.WriteAsync(head);
            if (!isHead)
            {
                await output.WriteAsync(body);
            }

            // Whatever else of the request already arrived is consumed, so the close that follows is a FIN, not a
            // reset that could discard the answer on the client's side before it is read.
            using var drain = new CancellationTokenSource(TimeSpan.FromMilliseconds(200), time);
            for (long drained = 0; drained < MaxDrain && !read.IsCompleted;)
            {
                read = await input.ReadAsync(drain.Token);
                drained += read.Buffer.Length;
                input.AdvanceTo(read.Buffer.End);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException or ConnectionAbortedException)
        {
            // The client went away, or sent nothing more: the connection closes either way.
        }
    }
}
