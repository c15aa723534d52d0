using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Moddock.Doctor.Tests.Faults;

/// <summary>How a fault target treats each accepted connection.</summary>
internal enum FaultMode
{
    Http,
    Silent,
    Reset,
    ProxyAuth,
}

/// <summary>
/// A fault target on 127.0.0.1: a tiny HTTP/1.1 server (optionally TLS with a given certificate), a server
/// that accepts and never answers, one that resets every connection, or an HTTP proxy answering 407.
/// Stopped by the test that started it (Dispose).
/// </summary>
internal sealed class FaultServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _held = [];
    private readonly FaultMode _mode;
    private readonly Func<string, (int Status, string Body)>? _handler;
    private readonly X509Certificate2? _cert;

    public FaultServer(FaultMode mode, Func<string, (int Status, string Body)>? handler = null, X509Certificate2? cert = null)
    {
        _mode = mode;
        _handler = handler;
        _cert = cert;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(64);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    public string HttpUrl => $"http://127.0.0.1:{Port}";

    public string HttpsUrl => $"https://127.0.0.1:{Port}";

    public int Requests;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_held)
        {
            foreach (var s in _held)
            {
                s.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket s;
            try
            {
                s = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => Serve(s));
        }
    }

    private async Task Serve(Socket s)
    {
        Interlocked.Increment(ref Requests);
        switch (_mode)
        {
            case FaultMode.Silent:
                lock (_held)
                {
                    _held.Add(s);
                }

                return;
            case FaultMode.Reset:
                // Wait for the client's first bytes, then reset: resetting right at accept races the
                // client's first write, and a reset that lands before it is (correctly) "not connected".
                try
                {
                    using var first = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    first.CancelAfter(TimeSpan.FromSeconds(5));
                    await s.ReceiveAsync(new byte[1], SocketFlags.None, first.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException)
                {
                    // the client gave up or closed first; reset anyway
                }

                s.LingerState = new LingerOption(true, 0);
                s.Dispose();
                return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            var network = new NetworkStream(s, ownsSocket: true);
            await using (network)
            {
                Stream stream = network;
                if (_cert is not null)
                {
                    var ssl = new SslStream(network, leaveInnerStreamOpen: true);
                    await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _cert }, timeout.Token);
                    stream = ssl;
                }

                var first = new byte[1];
                if (await stream.ReadAsync(first, timeout.Token) == 0)
                {
                    return;
                }

                if (first[0] is < (byte)'A' or > (byte)'Z')
                {
                    // Not HTTP (a TLS ClientHello on a plain port): answer like an HTTP server would.
                    await Write(stream, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", timeout.Token);
                    return;
                }

                var head = new StringBuilder().Append((char)first[0]);
                var buf = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && head.Length < 16384)
                {
                    if (await stream.ReadAsync(buf, timeout.Token) == 0)
                    {
                        return;
                    }

                    head.Append((char)buf[0]);
                }

                if (_mode == FaultMode.ProxyAuth)
                {
                    await Write(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", timeout.Token);
                    return;
                }

                var target = head.ToString().Split(' ')[1];
                var (status, body) = _handler!(target);
                var bytes = Encoding.UTF8.GetBytes(body);
                await Write(stream, $"HTTP/1.1 {status} {Reason(status)}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {bytes.Length}\r\nDate: {DateTimeOffset.UtcNow:R}\r\nConnection: close\r\n\r\n", timeout.Token);
                await stream.WriteAsync(bytes, timeout.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
            // The client went away or the handshake failed: both are the point of some tests.
        }
    }

    private static Task Write(Stream s, string text, CancellationToken ct) => s.WriteAsync(Encoding.ASCII.GetBytes(text), ct).AsTask();

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        404 => "Not Found",
        410 => "Gone",
        500 => "Internal Server Error",
        _ => "Status",
    };

    /// <summary>A GOPROXY that has every module: a version list, the checksum database supported, and `latest`.</summary>
    public static (int, string) Healthy(string path) =>
        path.EndsWith("/@v/list", StringComparison.Ordinal) ? (200, "v0.3.0\nv0.4.0\n")
        : path.EndsWith("/supported", StringComparison.Ordinal) ? (200, string.Empty)
        : path.EndsWith("/latest", StringComparison.Ordinal) ? (200, "go.sum database tree\n1\nAAAA\n")
        : (404, "not found");
}
