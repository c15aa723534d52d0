namespace Moddock.Doctor.Reporting;

/// <summary>The cause ids of shared/docs/diagnosis-causes.md: a person, a script and a test speak the same words.</summary>
internal static class CauseIds
{
    public const string GoproxyOff = "config.goproxy_off";
    public const string GoproxyInvalid = "config.goproxy_invalid";
    public const string GosumdbInvalid = "config.gosumdb_invalid";
    public const string PrivateModulePublicRoute = "config.private_module_public_route";
    public const string InvalidModulePath = "config.invalid_module_path";
    public const string GoVersion = "config.go_version";
    public const string DnsNxdomain = "dns.nxdomain";
    public const string DnsTimeout = "dns.timeout";
    public const string DnsServfail = "dns.servfail";
    public const string DnsUnavailable = "dns.unavailable";
    public const string TcpRefused = "tcp.refused";
    public const string TcpTimeout = "tcp.timeout";
    public const string TcpUnreachable = "tcp.unreachable";
    public const string TcpReset = "tcp.reset";
    public const string TcpNotConnected = "tcp.not_connected";
    public const string TlsUnknownAuthority = "tls.unknown_authority";
    public const string TlsExpired = "tls.expired";
    public const string TlsHostnameMismatch = "tls.hostname_mismatch";
    public const string TlsHandshakeTimeout = "tls.handshake_timeout";
    public const string TlsProtocol = "tls.protocol";
    public const string ProxyAuthRequired = "proxy.auth_required";
    public const string ProxyRefused = "proxy.refused";
    public const string ProxyForbidden = "proxy.forbidden";
    public const string ProxyFailed = "proxy.failed";
    public const string HttpNotFound = "http.not_found";
    public const string HttpForbidden = "http.forbidden";
    public const string HttpServerError = "http.server_error";
    public const string HttpTimeout = "http.timeout";
    public const string HttpStreamError = "http.stream_error";
    public const string SumdbChecksumMismatch = "sumdb.checksum_mismatch";
    public const string GosumMissing = "gosum.missing";
    public const string GitAuthRequired = "git.auth_required";
    public const string GitSshAuth = "git.ssh_auth";
    public const string GitFailed = "git.failed";
    public const string VcsNoGoImport = "vcs.no_go_import";
    public const string VersionUnknownRevision = "version.unknown_revision";

    public static IReadOnlyList<string> All { get; } =
    [
        GoproxyOff, GoproxyInvalid, GosumdbInvalid, PrivateModulePublicRoute, InvalidModulePath, GoVersion,
        DnsNxdomain, DnsTimeout, DnsServfail, DnsUnavailable,
        TcpRefused, TcpTimeout, TcpUnreachable, TcpReset, TcpNotConnected,
        TlsUnknownAuthority, TlsExpired, TlsHostnameMismatch, TlsHandshakeTimeout, TlsProtocol,
        ProxyAuthRequired, ProxyRefused, ProxyForbidden, ProxyFailed,
        HttpNotFound, HttpForbidden, HttpServerError, HttpTimeout, HttpStreamError,
        SumdbChecksumMismatch, GosumMissing,
        GitAuthRequired, GitSshAuth, GitFailed, VcsNoGoImport, VersionUnknownRevision,
    ];
}
