using System.Net;

namespace Moddock.Doctor.Probes.Dns;

/// <summary>/etc/hosts, which Go consults before DNS (hosts: files dns).</summary>
internal static class HostsFile
{
    public static IReadOnlyList<IPAddress> Lookup(string host, string path = "/etc/hosts")
    {
        var result = new List<IPAddress>();
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return result;
        }

        foreach (var raw in lines)
        {
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var line = hash >= 0 ? raw[..hash] : raw;
            var f = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 2 || !IPAddress.TryParse(f[0].Split('%')[0], out var ip))
            {
                continue;
            }

            if (f.Skip(1).Any(n => string.Equals(n.TrimEnd('.'), host.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)))
            {
                result.Add(ip);
            }
        }

        return result;
    }
}
