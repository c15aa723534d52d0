using System.Net.Sockets;
using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Probes.Net;

/// <summary>Maps socket errors to the cause ids and to the words Go would print.</summary>
internal static class TcpFailure
{
    public static (string Cause, string Text) Classify(SocketError e) => e switch
    {
        SocketError.ConnectionRefused => (CauseIds.TcpRefused, "connect: connection refused"),
        SocketError.TimedOut => (CauseIds.TcpTimeout, "i/o timeout"),
        SocketError.NetworkUnreachable or SocketError.NetworkDown => (CauseIds.TcpUnreachable, "connect: network is unreachable"),
        SocketError.HostUnreachable or SocketError.HostDown => (CauseIds.TcpUnreachable, "connect: no route to host"),
        SocketError.AddressNotAvailable => (CauseIds.TcpUnreachable, "connect: cannot assign requested address"),
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => (CauseIds.TcpReset, "read: connection reset by peer"),
        SocketError.NotConnected => (CauseIds.TcpNotConnected, "write: socket is not connected"),
        _ => (CauseIds.TcpReset, e.ToString()),
    };

    /// <summary>The cause of an exception thrown by an established connection (read/write/TLS/HTTP).</summary>
    public static (string Cause, string Text)? FromException(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is SocketException se)
            {
                return Classify(se.SocketErrorCode);
            }
        }

        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded } || x is EndOfStreamException
                || x.Message.Contains("unexpected EOF", StringComparison.OrdinalIgnoreCase) || x.Message.Contains("prematurely", StringComparison.OrdinalIgnoreCase)
                || x.Message.Contains("0 bytes from the transport stream", StringComparison.OrdinalIgnoreCase))
            {
                return (CauseIds.TcpReset, "EOF: the server closed the connection");
            }
        }

        return null;
    }
}
