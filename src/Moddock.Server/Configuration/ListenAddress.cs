using System.Globalization;
using System.Net;

namespace Moddock.Server.Configuration;

/// <summary>HOST:PORT as given to --listen; HOST is an IP literal (v6 in brackets), "localhost" or "*".</summary>
public sealed record ListenAddress(string Host, int Port)
{
    public static bool TryParse(string text, out ListenAddress? address, out string? problem)
    {
        address = null;
        var colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            problem = "want HOST:PORT, e.g. 127.0.0.1:3000";
            return false;
        }

        var host = text[..colon];
        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 0 or > 65535)
        {
            problem = $"port \"{portText}\" is not a number from 0 to 65535";
            return false;
        }

        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
            if (!IPAddress.TryParse(host, out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                problem = $"host \"{host}\" is not an IPv6 address";
                return false;
            }
        }
        else if (host is not ("localhost" or "*") && !IPAddress.TryParse(host, out _))
        {
            problem = $"host \"{host}\" is not an IP address, localhost or *";
            return false;
        }

        if (host == "localhost" && port == 0)
        {
            // Kestrel binds localhost as two addresses and cannot give both the same free port.
            problem = "port 0 (any free port) needs an address, not localhost: use 127.0.0.1:0 or [::1]:0";
            return false;
        }

        address = new ListenAddress(host, port);
        problem = null;
        return true;
    }

    public override string ToString() => (Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host) + ":" + Port.ToString(CultureInfo.InvariantCulture);
}
