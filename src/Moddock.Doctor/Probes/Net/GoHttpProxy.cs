using System.Net;
using System.Net.Sockets;

namespace Moddock.Doctor.Probes.Net;

/// <summary>
/// HTTP_PROXY / HTTPS_PROXY / NO_PROXY exactly as Go's net/http reads them
/// (golang.org/x/net/http/httpproxy): upper case first, then lower case; an https URL uses HTTPS_PROXY,
/// an http URL HTTP_PROXY; localhost and loopback addresses are never proxied; NO_PROXY entries are
/// `*`, CIDRs, IPs (optionally with port), and domains where `foo.com` matches itself and subdomains,
/// `.foo.com` and `*.foo.com` only subdomains.
/// </summary>
internal sealed class GoHttpProxy : IWebProxy
{
    private readonly List<Func<string, string, IPAddress?, bool>> _noProxy = [];
    private bool _all;

    public GoHttpProxy(string? httpProxy, string? httpsProxy, string? noProxy, bool cgi = false)
    {
        HttpProxy = Parse(httpProxy);
        HttpsProxy = Parse(httpsProxy);
        Cgi = cgi;
        NoProxyRaw = noProxy ?? string.Empty;
        Init(NoProxyRaw);
    }

    public Uri? HttpProxy { get; }

    public Uri? HttpsProxy { get; }

    public bool Cgi { get; }

    public string NoProxyRaw { get; }

    public ICredentials? Credentials { get; set; }

    public static GoHttpProxy FromEnvironment(Func<string, string?> env) =>
        new(Any(env, "HTTP_PROXY", "http_proxy"), Any(env, "HTTPS_PROXY", "https_proxy"), Any(env, "NO_PROXY", "no_proxy"), !string.IsNullOrEmpty(env("REQUEST_METHOD")));

    public Uri? ProxyFor(Uri target)
    {
        var proxy = target.Scheme switch
        {
            "https" => HttpsProxy,
            "http" when !Cgi => HttpProxy,
            _ => null,
        };
        if (proxy is null || !UseProxy(target.IdnHost, target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            return null;
        }

        return proxy;
    }

    public Uri? GetProxy(Uri destination) => ProxyFor(destination);

    public bool IsBypassed(Uri host) => ProxyFor(host) is null;

    /// <summary>The credentials in a proxy URL's userinfo, which Go sends as Proxy-Authorization: Basic.</summary>
    public static NetworkCredential? CredentialsOf(Uri proxy)
    {
        if (string.IsNullOrEmpty(proxy.UserInfo))
        {
            return null;
        }

        var parts = proxy.UserInfo.Split(':', 2);
        return new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty);
    }

    /// <summary>NO_PROXY entries Go parses but that can never match a host (they only look like rules).</summary>
    public static IReadOnlyList<string> DeadEntries(string noProxy)
    {
        var dead = new List<string>();
        foreach (var raw in noProxy.Split(','))
        {
            var p = raw.Trim().ToLowerInvariant();
            if (p.Length == 0 || p == "*")
            {
                continue;
            }

            if (p.Contains("://", StringComparison.Ordinal) || p.Contains(' ', StringComparison.Ordinal) || p.Contains('/', StringComparison.Ordinal) && !IPNetwork.TryParse(p, out _)
                || p.IndexOf('*', StringComparison.Ordinal) > 0 || (p.StartsWith('*') && !p.StartsWith("*.", StringComparison.Ordinal)))
            {
                dead.Add(raw.Trim());
            }
        }

        return dead;
    }

    private bool UseProxy(string host, string port)
    {
        if (host == "localhost")
        {
            return false;
        }

        var ip = IPAddress.TryParse(host.Trim('[', ']'), out var parsed) ? parsed : null;
        if (ip is not null && IPAddress.IsLoopback(ip))
        {
            return false;
        }

        if (_all)
        {
            return false;
        }

        var h = host.Trim().ToLowerInvariant();
        return !_noProxy.Any(m => m(h, port, ip));
    }

    private void Init(string noProxy)
    {
        foreach (var raw in noProxy.Split(','))
        {
            var p = raw.Trim().ToLowerInvariant();
            if (p.Length == 0)
            {
                continue;
            }

            if (p == "*")
            {
                _all = true;
                return;
            }

            if (IPNetwork.TryParse(p, out var net))
            {
                _noProxy.Add((_, _, ip) => ip is not null && ip.AddressFamily == net.BaseAddress.AddressFamily && net.Contains(ip));
                continue;
            }

            var (phost, pport) = SplitHostPort(p);
            if (phost.Length == 0)
            {
                continue;
            }

            if (IPAddress.TryParse(phost, out var pip))
            {
                _noProxy.Add((_, port, ip) => ip is not null && ip.Equals(pip) && (pport.Length == 0 || pport == port));
                continue;
            }

            if (phost.StartsWith("*.", StringComparison.Ordinal))
            {
                phost = phost[1..];
            }

            var matchHost = phost[0] != '.';
            if (matchHost)
            {
                phost = "." + phost;
            }

            var suffix = phost;
            _noProxy.Add((host, port, _) => (host.EndsWith(suffix, StringComparison.Ordinal) || (matchHost && host == suffix[1..])) && (pport.Length == 0 || pport == port));
        }
    }

    private static (string Host, string Port) SplitHostPort(string p)
    {
        // net.SplitHostPort: only when a port is present; IPv6 in brackets.
        if (p.StartsWith('['))
        {
            var end = p.IndexOf(']', StringComparison.Ordinal);
            if (end > 0 && end + 1 < p.Length && p[end + 1] == ':')
            {
                return (p[1..end], p[(end + 2)..]);
            }

            return (p, string.Empty);
        }

        var colon = p.LastIndexOf(':');
        if (colon > 0 && p.IndexOf(':', StringComparison.Ordinal) == colon)
        {
            return (p[..colon], p[(colon + 1)..]);
        }

        return (p, string.Empty);
    }

    private static Uri? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        // Go: a value that is not a URL with http/https/socks5 gets "http://" prepended.
        if (Uri.TryCreate(value, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" or "socks5" && !string.IsNullOrEmpty(u.Host))
        {
            return u;
        }

        return Uri.TryCreate("http://" + value, UriKind.Absolute, out var withScheme) ? withScheme : null;
    }

    private static string? Any(Func<string, string?> env, params string[] names) =>
        names.Select(env).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    internal static bool IsIPv6(IPAddress ip) => ip.AddressFamily == AddressFamily.InterNetworkV6;
}
