using System.Globalization;
using System.Net;

namespace Moddock.Doctor.Probes.Dns;

/// <summary>
/// The resolver configuration the go command's pure-Go resolver reads (net/dnsconfig_unix.go):
/// `nameserver` lines (default 127.0.0.1 and ::1 when there are none), `options timeout:N attempts:N`.
/// </summary>
internal sealed record ResolvConf(IReadOnlyList<IPEndPoint> Servers, TimeSpan Timeout, int Attempts, string Source, bool Missing)
{
    public const string DefaultPath = "/etc/resolv.conf";

    public static ResolvConf Load(string path = DefaultPath)
    {
        // Tests and unusual setups point at a resolver on another port (resolv.conf cannot say a port).
        if (Environment.GetEnvironmentVariable("MODDOCK_DNS_SERVER") is { Length: > 0 } over && IPEndPoint.TryParse(over, out var ep))
        {
            if (ep.Port == 0)
            {
                ep.Port = 53;
            }

            return new ResolvConf([ep], TimeSpan.FromSeconds(5), 2, "MODDOCK_DNS_SERVER", false);
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ResolvConf(Defaults(), TimeSpan.FromSeconds(5), 2, path, true);
        }

        var servers = new List<IPEndPoint>();
        var timeout = TimeSpan.FromSeconds(5);
        var attempts = 2;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            var f = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f[0] == "nameserver" && f.Length > 1 && IPAddress.TryParse(f[1].Split('%')[0], out var ip))
            {
                servers.Add(new IPEndPoint(ip, 53));
            }
            else if (f[0] == "options")
            {
                foreach (var o in f.Skip(1))
                {
                    if (o.StartsWith("timeout:", StringComparison.Ordinal) && int.TryParse(o[8..], NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0)
                    {
                        timeout = TimeSpan.FromSeconds(Math.Min(t, 30));
                    }
                    else if (o.StartsWith("attempts:", StringComparison.Ordinal) && int.TryParse(o[9..], NumberStyles.None, CultureInfo.InvariantCulture, out var a) && a > 0)
                    {
                        attempts = Math.Min(a, 5);
                    }
                }
            }
        }

        return new ResolvConf(servers.Count > 0 ? servers : Defaults(), timeout, attempts, path, false);
    }

    private static List<IPEndPoint> Defaults() => [new(IPAddress.Loopback, 53), new(IPAddress.IPv6Loopback, 53)];
}
