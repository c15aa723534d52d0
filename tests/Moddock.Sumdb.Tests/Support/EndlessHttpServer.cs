using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Moddock.Sumdb.Tests.Support;

/// <summary>A misbehaving database on 127.0.0.1: answers 200 and then streams bytes forever (no Content-Length).</summary>
internal sealed class EndlessHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public EndlessHttpServer()
    {
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient c;
                try
                {
                    c = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    using var client = c;
                    var s = client.GetStream();
                    await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"));
                    var chunk = new byte[8192];
                    try
                    {
                        while (!_stop.IsCancellationRequested)
                        {
                            await s.WriteAsync(chunk, _stop.Token);
                        }
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
                    {
                    }
                });
            }
        });
    }

    public Uri Url { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
