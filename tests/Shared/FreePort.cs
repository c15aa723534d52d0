using System.Net;
using System.Net.Sockets;

namespace Moddock.Testing;

internal static class FreePort
{
    /// <summary>A loopback port that was free a moment ago (tests run servers on 127.0.0.1 only).</summary>
    public static int Next()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
