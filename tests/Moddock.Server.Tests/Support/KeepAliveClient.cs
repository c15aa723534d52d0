using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Moddock.Server.Tests.Support;

/// <summary>
/// One HTTP/1.1 connection kept open across requests: raw bytes out, responses read back one at
/// a time by their Content-Length (or chunked framing), so a test sees exactly what one
/// connection carried, in order.
/// </summary>
internal sealed class KeepAliveClient : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(20));
    private byte[] _pending = [];

    private KeepAliveClient(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <param name="receiveBuffer">SO_RCVBUF before connecting (0: the system's), to make a client that reads slowly fill up quickly.</param>
    public static async Task<KeepAliveClient> ConnectAsync(int port, int receiveBuffer = 0)
    {
        var client = new TcpClient();
        if (receiveBuffer > 0)
        {
            client.ReceiveBufferSize = receiveBuffer;
        }

        await client.ConnectAsync("127.0.0.1", port);
        return new KeepAliveClient(client);
    }

    public static string Request(string method, string target, int port, string? extraHeaders = null, string version = "HTTP/1.1") =>
        $"{method} {target} {version}\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: Go-http-client/1.1\r\nAccept-Encoding: gzip\r\n{extraHeaders}\r\n";

    public Task SendAsync(string raw) => _stream.WriteAsync(Encoding.Latin1.GetBytes(raw), _deadline.Token).AsTask();

    public async Task<RawResponse> ReadResponseAsync(bool isHead = false)
    {
        var headEnd = await FillUntilAsync(() => _pending.AsSpan().IndexOf("\r\n\r\n"u8));
        var (status, headers) = RawHttp.ParseHead(_pending.AsSpan(0, headEnd));
        Consume(headEnd + 4);

        if (isHead)
        {
            return new RawResponse(status, headers, []);
        }

        if (headers.TryGetValue("content-length", out var length))
        {
            var n = int.Parse(length, CultureInfo.InvariantCulture);
            await FillUntilAsync(() => _pending.Length >= n ? n : -1);
            var body = _pending[..n];
            Consume(n);
            return new RawResponse(status, headers, body);
        }

        using var chunks = new MemoryStream();
        while (true)
        {
            var lineEnd = await FillUntilAsync(() => _pending.AsSpan().IndexOf("\r\n"u8));
            var size = Convert.ToInt32(Encoding.ASCII.GetString(_pending, 0, lineEnd).Split(';')[0], 16);
            Consume(lineEnd + 2);
            await FillUntilAsync(() => _pending.Length >= size + 2 ? size : -1);
            chunks.Write(_pending, 0, size);
            Consume(size + 2);
            if (size == 0)
            {
                return new RawResponse(status, headers, chunks.ToArray());
            }
        }
    }

    /// <summary>Reads one response head only, leaving its body unread (to act while the server is still sending).</summary>
    public async Task<(int Status, Dictionary<string, string> Headers)> ReadHeadAsync()
    {
        var headEnd = await FillUntilAsync(() => _pending.AsSpan().IndexOf("\r\n\r\n"u8));
        var head = RawHttp.ParseHead(_pending.AsSpan(0, headEnd));
        Consume(headEnd + 4);
        return head;
    }

    /// <summary>True when the server closed the connection (EOF or reset) with nothing more to read.</summary>
    public async Task<bool> ClosedByServerAsync()
    {
        var one = new byte[1];
        try
        {
            return _pending.Length == 0 && await _stream.ReadAsync(one, _deadline.Token) == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Reads whatever arrives until the server closes the connection or the deadline passes.</summary>
    public async Task<int> DrainAsync()
    {
        var total = _pending.Length;
        var buffer = new byte[64 * 1024];
        try
        {
            int n;
            while ((n = await _stream.ReadAsync(buffer, _deadline.Token)) > 0)
            {
                total += n;
            }
        }
        catch (IOException)
        {
            // A reset ends the stream too.
        }

        return total;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
        _deadline.Dispose();
    }

    private async Task<int> FillUntilAsync(Func<int> found)
    {
        var buffer = new byte[64 * 1024];
        int at;
        while ((at = found()) < 0)
        {
            var n = await _stream.ReadAsync(buffer, _deadline.Token);
            if (n == 0)
            {
                throw new EndOfStreamException("the server closed the connection mid-response");
            }

            _pending = [.. _pending, .. buffer.AsSpan(0, n)];
        }

        return at;
    }

    private void Consume(int n) => _pending = _pending[n..];
}
