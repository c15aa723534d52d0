using System.Net;
using System.Net.Sockets;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Serve.Support;

/// <summary>Accepts connections on 127.0.0.1 and never answers: the black-hole mirror.</summary>
internal sealed class SilentServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly List<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();

    public SilentServer()
    {
        Port = FreePort.Next();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start(512);
        _ = AcceptLoopAsync();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public int Accepted { get; private set; }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var s = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_held)
                {
                    _held.Add(s);
                    Accepted++;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_held)
        {
            _held.ForEach(s => s.Dispose());
        }

        _stop.Dispose();
    }
}
