using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Moddock.Proxy.Tests.Support;

internal sealed record FakeResponse(int Status, byte[] Body, string ContentType = "application/octet-stream")
{
    /// <summary>Send only this many body bytes (after a full Content-Length), then close: a cut-short transfer.</summary>
    public int? CutAfter { get; init; }

    /// <summary>Accept and read the request, then never answer.</summary>
    public bool Stall { get; init; }

    public static FakeResponse Text(int status, string text) => new(status, Encoding.UTF8.GetBytes(text), "text/plain; charset=utf-8");

    public static readonly FakeResponse Never = new(0, []) { Stall = true };
}

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 written on a raw socket, so tests control every byte: statuses,
/// bodies shorter than their Content-Length, connections that are accepted and never answered.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<string, int, FakeResponse> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _paths = new();
    private readonly Task _loop;
    private int _requests;
    private int _connections;

    private FakeUpstream(Func<string, int, FakeResponse> handler)
    {
        _handler = handler;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(512);
        _loop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url => $"http://127.0.0.1:{Port}";

    public int Requests => Volatile.Read(ref _requests);

    public int Connections => Volatile.Read(ref _connections);

    public IReadOnlyList<string> Paths => [.. _paths];

    /// <summary>The handler gets the unescaped URL path without its leading '/', and the 1-based request number.</summary>
    public static FakeUpstream Start(Func<string, int, FakeResponse> handler) => new(handler);

    /// <summary>Serves a file-layout tree (<see cref="TestModule.Layout"/>); 404 with a text reason otherwise.</summary>
    public static FakeUpstream Files(IReadOnlyDictionary<string, byte[]> files) =>
        Start((path, _) => files.TryGetValue(path, out var body) ? new FakeResponse(200, body) : FakeResponse.Text(404, $"not found: {path}"));

    public int CountRequests(string suffix) => _paths.Count(p => p.EndsWith(suffix, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                if (head is null)
                {
                    return;
                }

                var target = head.Split(' ')[1];
                var path = Uri.UnescapeDataString(target.TrimStart('/'));
                _paths.Enqueue(path);
                var response = _handler(path, Interlocked.Increment(ref _requests));
                if (response.Stall)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }

                var header = $"HTTP/1.1 {response.Status} {ReasonPhrase(response.Status)}\r\nContent-Type: {response.ContentType}\r\nContent-Length: {response.Body.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(header), _stop.Token);
                var count = Math.Min(response.CutAfter ?? response.Body.Length, response.Body.Length);
                await stream.WriteAsync(response.Body.AsMemory(0, count), _stop.Token);
                await stream.FlushAsync(_stop.Token);
                if (response.CutAfter is not null)
                {
                    client.Client.Shutdown(SocketShutdown.Both);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new byte[8192];
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(total));
            if (n == 0)
            {
                return null;
            }

            total += n;
            var text = Encoding.ASCII.GetString(buffer, 0, total);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                return text;
            }
        }

        return null;
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        404 => "Not Found",
        410 => "Gone",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
