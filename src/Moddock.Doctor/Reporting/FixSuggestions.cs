namespace Moddock.Doctor.Reporting;

/// <summary>
/// One fix per cause, as a command a person can copy. The command names the host or module of the
/// failure when it is known, so the fix for "sum.golang.org said 410 for git.corp.example/x" is
/// `go env -w GOPRIVATE=git.corp.example`, not a paragraph.
/// </summary>
internal static class FixSuggestions
{
    private const string DefaultProxy = "go env -w GOPROXY=https://proxy.golang.org,direct";
    private const string MirrorProxy = "go env -w GOPROXY=https://goproxy.cn,direct";

    public static string For(string cause, string? where, FixContext ctx)
    {
        var host = ctx.Host ?? "HOST";
        var module = ctx.Module ?? "MODULE";
        var privatePrefix = ctx.Module is { } m ? PrivatePrefix(m) : ctx.Host is { } h && where == Reporting.Where.Vcs ? StripPort(h) : "git.corp.example";
        return cause switch
        {
            CauseIds.GoproxyOff => DefaultProxy,
            CauseIds.GoproxyInvalid => DefaultProxy,
            CauseIds.GosumdbInvalid => "go env -w GOSUMDB=sum.golang.org",
            CauseIds.PrivateModulePublicRoute => "go env -w GOPRIVATE=" + privatePrefix,
            CauseIds.InvalidModulePath => $"grep -rnF {ShellQuote("\"" + module)} --include=*.go --include=go.mod .",
            CauseIds.GoVersion => "go install golang.org/dl/go1.22.12@latest && go1.22.12 download",
            CauseIds.DnsNxdomain => where switch
            {
                // The public proxy and checksum database always exist: NXDOMAIN for them means a broken resolver.
                Reporting.Where.Proxy or Reporting.Where.Sumdb when ctx.Host is { } dnsHost && StripPort(dnsHost) is "proxy.golang.org" or "sum.golang.org" => "resolvectl query " + StripPort(dnsHost),
                Reporting.Where.Proxy => DefaultProxy,
                Reporting.Where.Sumdb => "go env -w GOSUMDB=sum.golang.org",
                Reporting.Where.HttpProxy => "unset HTTPS_PROXY HTTP_PROXY https_proxy http_proxy",
                // A repository host is fetched directly already: GOPRIVATE cannot make its name resolve (a VPN or
                // the corporate resolver can), so the fix shows what this machine's resolver says about it.
                _ => "getent hosts " + StripPort(host),
            },
            CauseIds.DnsTimeout or CauseIds.DnsServfail => "resolvectl query " + StripPort(host),
            CauseIds.DnsUnavailable => "echo 'nameserver 1.1.1.1' | sudo tee /etc/resolv.conf",
            CauseIds.TcpRefused or CauseIds.TcpTimeout or CauseIds.TlsHandshakeTimeout => where switch
            {
                Reporting.Where.Proxy => MirrorProxy,
                Reporting.Where.Sumdb => "go env -w GOSUMDB=sum.golang.google.cn",
                Reporting.Where.HttpProxy => "unset HTTPS_PROXY HTTP_PROXY https_proxy http_proxy",
                _ => "export HTTPS_PROXY=http://proxy.corp.example:3128",
            },
            CauseIds.TcpUnreachable => ctx.Address is { } a && a.Contains(':', StringComparison.Ordinal)
                ? "sudo sysctl -w net.ipv6.conf.all.disable_ipv6=1"
                : "ip route get " + (ctx.Address ?? StripPort(host)),
            CauseIds.TcpReset or CauseIds.TcpNotConnected => where == Reporting.Where.Proxy ? MirrorProxy : "export HTTPS_PROXY=http://proxy.corp.example:3128",
            CauseIds.TlsUnknownAuthority => where == Reporting.Where.Local
                ? "sudo apt-get install ca-certificates"
                : "sudo cp corp-root-ca.crt /usr/local/share/ca-certificates/ && sudo update-ca-certificates",
            CauseIds.TlsExpired => "sudo timedatectl set-ntp true",
            CauseIds.TlsHostnameMismatch => $"openssl s_client -connect {WithPort(host, 443)} -servername {StripPort(host)} </dev/null | openssl x509 -noout -subject -ext subjectAltName",
            CauseIds.TlsProtocol => where == Reporting.Where.Proxy && ctx.Url is { } u && u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                ? "go env -w GOPROXY=http://" + u["https://".Length..] + ",direct"
                : $"curl -v https://{StripPort(host)}/",
            // The go command's 407 line names the destination, not the proxy: without the proxy's address the
            // fix leaves it for the person to fill in rather than pointing HTTPS_PROXY at the destination.
            CauseIds.ProxyAuthRequired => "export HTTPS_PROXY=http://USER:PASSWORD@" + (ctx.Host ?? "PROXYHOST:PORT"),
            CauseIds.ProxyRefused or CauseIds.ProxyFailed => "unset HTTPS_PROXY HTTP_PROXY https_proxy http_proxy",
            CauseIds.ProxyForbidden => $"export NO_PROXY=\"$NO_PROXY,{StripPort(host)}\"",
            CauseIds.HttpNotFound or CauseIds.VersionUnknownRevision => "go list -m -versions " + module,
            CauseIds.HttpForbidden => $"echo 'machine {StripPort(host)} login USER password TOKEN' >> ~/.netrc",
            CauseIds.HttpServerError or CauseIds.HttpTimeout => ctx.Url is { } p && where == Reporting.Where.Proxy
                ? $"go env -w 'GOPROXY={p}|{(IsPublicProxy(p) ? string.Empty : "https://proxy.golang.org|")}direct'"
                : DefaultProxy,
            CauseIds.HttpStreamError => "GODEBUG=http2client=0 go mod download",
            CauseIds.SumdbChecksumMismatch => "go clean -modcache && go mod download " + module,
            CauseIds.GosumMissing => "go mod tidy",
            CauseIds.GitAuthRequired => $"git config --global url.\"git@{StripPort(host)}:\".insteadOf \"https://{StripPort(host)}/\"",
            CauseIds.GitSshAuth => "ssh-add ~/.ssh/id_ed25519 && ssh -T git@" + StripPort(host),
            CauseIds.GitFailed => "GIT_TERMINAL_PROMPT=0 git ls-remote " + (ctx.Url ?? "https://" + host),
            CauseIds.VcsNoGoImport => $"curl -s 'https://{module}?go-get=1' | grep go-import",
            _ => "go env",
        };
    }

    /// <summary>
    /// The fix for a certificate whose end lies before the local clock: with Go's "current time T is after
    /// END" the server's certificate ran out (a clock years fast is rare; a clock behind says "is before"),
    /// so turning on NTP changes nothing. The command shows the certificate's dates beside this machine's.
    /// </summary>
    public static string ExpiredServerCertificate(string host) =>
        $"openssl s_client -connect {WithPort(host, 443)} -servername {StripPort(host)} </dev/null 2>/dev/null | openssl x509 -noout -issuer -dates; date -u";

    /// <summary>The GOPRIVATE pattern for a module: the host, plus the organisation on shared forges.</summary>
    public static string PrivatePrefix(string module)
    {
        var parts = module.Split('/');
        if (parts.Length >= 2 && parts[0] is "github.com" or "gitlab.com" or "bitbucket.org")
        {
            return parts[0] + "/" + parts[1];
        }

        return parts[0];
    }

    // A module path that failed validation may hold any character, a quote too.
    private static string ShellQuote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static bool IsPublicProxy(string url) =>
        url.TrimEnd('/').Equals("https://proxy.golang.org", StringComparison.OrdinalIgnoreCase);

    private static string StripPort(string host)
    {
        if (host.StartsWith('['))
        {
            var end = host.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? host[1..end] : host;
        }

        var colon = host.LastIndexOf(':');
        return colon > 0 && host.IndexOf(':', StringComparison.Ordinal) == colon ? host[..colon] : host;
    }

    private static string WithPort(string host, int port) =>
        StripPort(host) != host || host.StartsWith('[') ? host : host + ":" + port;
}
