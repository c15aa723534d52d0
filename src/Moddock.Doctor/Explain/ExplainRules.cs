using System.Text.RegularExpressions;
using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Explain;

/// <summary>
/// The message formats of the go command and the packages it reports through: cmd/go/internal/modfetch
/// (proxy.go, sumdb.go, fetch.go), cmd/go/internal/modload, net (dnsclient, dial), net/http (transport,
/// CONNECT), crypto/x509 (verify.go), crypto/tls, and git/ssh as the go command relays them. Rules are
/// tried in order on each line; the first hit per line counts.
/// </summary>
internal static class ExplainRules
{
    private const RegexOptions Opts = RegexOptions.CultureInvariant | RegexOptions.Compiled;

    public static IReadOnlyList<ExplainRule> All { get; } =
    [
        // Configuration: the go command refuses before touching the network.
        R(CauseIds.GoproxyOff, 100, "GOPROXY=off", @"disabled by GOPROXY=off", Where.Local),
        R(CauseIds.GoproxyInvalid, 100, "GOPROXY", @"GOPROXY list is not the empty string, but contains no entries|invalid GOPROXY", Where.Local),
        R(CauseIds.GoproxyInvalid, 100, "proxy URL", @"invalid (?:file:// )?proxy URL", Where.Local),
        R(CauseIds.GosumdbInvalid, 100, "GOSUMDB|sumdb name", @"(?:invalid|missing) GOSUMDB|invalid sumdb name|unknown GOSUMDB|GOSUMDB=\S+ has no public key", Where.Local),
        R(CauseIds.GosumdbInvalid, 100, "verifier", @"malformed verifier id|unknown verifier", Where.Local),
        R(CauseIds.GoVersion, 100, "go|Go |toolchain", @"requires go (?:>= ?)?\d|requires go\d|module requires Go \d|invalid go version '\d+\.\d+\.\d+'|unknown directive: toolchain|go\.mod requires go|go: downloading go\d|toolchain not available", Where.Local),
        R(CauseIds.InvalidModulePath, 95, "path", @"malformed module path|malformed import path|invalid module path|missing dot in first path element|invalid char '.' in (?:module|import) path", Where.Local),
        R(CauseIds.InvalidModulePath, 95, "is not in", @"package \S+ is not in (?:GOROOT|std)", Where.Local),

        // Integrity.
        R(CauseIds.SumdbChecksumMismatch, 95, "checksum mismatch", @"checksum mismatch"),
        R(CauseIds.SumdbChecksumMismatch, 95, "SECURITY ERROR", @"^SECURITY ERROR"),
        R(CauseIds.GosumMissing, 95, "go.sum", @"missing go\.sum entry|go\.sum: .*missing|updates to go\.sum needed", Where.Local),

        // The HTTP(S)_PROXY itself.
        R(CauseIds.ProxyAuthRequired, 92, "Proxy Authentication Required", @"Proxy Authentication Required", Where.HttpProxy),
        R(CauseIds.ProxyAuthRequired, 92, "407", @"\b407\b", Where.HttpProxy),
        R(CauseIds.ProxyRefused, 92, "proxyconnect", @"proxyconnect tcp: dial tcp [^:]+:.*(?:connection refused|i/o timeout|no route to host|network is unreachable|connection timed out|actively refused)", Where.HttpProxy),
        R(CauseIds.ProxyFailed, 92, "proxyconnect", @"proxyconnect tcp: (?!dial tcp: lookup)", Where.HttpProxy),
        // net/http returns the CONNECT reply's reason phrase alone: `Get "https://…": Forbidden`.
        R(CauseIds.ProxyForbidden, 92, "Forbidden", @""": Forbidden\s*$", Where.HttpProxy),
        R(CauseIds.ProxyFailed, 92, "\": ", @""": (?:Bad Gateway|Service Unavailable|Gateway Timeout|Internal Server Error|Bad Request|unknown status code)\s*$", Where.HttpProxy),

        // DNS (net/dnsclient_unix.go, net/lookup.go); before TCP, since its errors embed dial errors.
        R(CauseIds.DnsNxdomain, 91, "no such host|NXDOMAIN|Name or service not known|nodename nor servname", @"no such host|NXDOMAIN|Name or service not known|nodename nor servname provided"),
        R(CauseIds.DnsServfail, 91, "server misbehaving|SERVFAIL", @"server misbehaving|SERVFAIL"),
        R(CauseIds.DnsUnavailable, 91, "lookup", @"lookup \S+(?: on [^:]+:\d+| on \[[^\]]+\]:\d+)?: (?:read|dial|write) udp[^:]*(?::.*)?: (?:connect: )?(?:connection refused|network is unreachable|no route to host)"),
        R(CauseIds.DnsUnavailable, 91, "lookup", @"lookup \S+: .*no (?:DNS|dns) servers|lookup \S+ on [^:]+:53: dial udp: .*unreachable"),
        R(CauseIds.DnsTimeout, 91, "lookup", @"lookup \S+.*: (?:i/o timeout|operation was canceled|timeout)|lookup \S+: Temporary failure in name resolution"),
        R(CauseIds.DnsTimeout, 91, "Temporary failure in name resolution|Could not resolve host", @"Temporary failure in name resolution|Could not resolve host"),
        R(CauseIds.DnsTimeout, 91, "dial tcp: i/o timeout", @"dial tcp: i/o timeout"),

        // TLS (crypto/x509/verify.go, crypto/tls, net/http).
        R(CauseIds.TlsUnknownAuthority, 90, "x509", @"x509: certificate signed by unknown authority|x509: failed to load system roots|x509: .*certificate is not trusted|x509: certificate is not standards compliant"),
        R(CauseIds.TlsUnknownAuthority, 90, "certificate", @"self[- ]signed certificate|unable to get local issuer certificate|SSL certificate problem: unable to get"),
        R(CauseIds.TlsExpired, 90, "x509", @"x509: certificate has expired or is not yet valid|x509: certificate has expired"),
        R(CauseIds.TlsExpired, 90, "certificate", @"SSL certificate problem: certificate has expired|certificate is not yet valid"),
        R(CauseIds.TlsHostnameMismatch, 90, "x509", @"x509: certificate is (?:valid for|not valid for any names)|x509: cannot validate certificate for|x509: certificate is not valid for"),
        R(CauseIds.TlsHostnameMismatch, 90, "SSL", @"SSL: no alternative certificate subject name matches|SSL: certificate subject name .* does not match"),
        R(CauseIds.TlsHandshakeTimeout, 90, "TLS handshake timeout", @"TLS handshake timeout"),
        R(CauseIds.TlsProtocol, 90, "HTTPS client", @"server gave HTTP response to HTTPS client"),
        R(CauseIds.TlsProtocol, 90, "tls: ", @"tls: first record does not look like a TLS handshake|tls: server selected unsupported protocol version|tls: protocol version not supported|tls: handshake failure|remote error: tls: |tls: oversized record received|tls: no supported versions"),

        // TCP (net/dial.go, syscall errno texts, Windows WSA texts).
        R(CauseIds.TcpRefused, 89, "refused|Refused", @"(?i)connection refused|actively refused"),
        R(CauseIds.TcpNotConnected, 89, "not connected", @"socket is not connected"),
        R(CauseIds.TcpUnreachable, 89, "unreach", @"network is unreachable|host is unreachable|unreachable network"),
        R(CauseIds.TcpUnreachable, 89, "route to host", @"(?i)no route to host"),
        R(CauseIds.TcpUnreachable, 89, "cannot assign requested address", @"cannot assign requested address"),
        R(CauseIds.TcpReset, 89, "reset by peer", @"connection reset by peer"),
        R(CauseIds.TcpReset, 89, "forcibly closed", @"forcibly closed by the remote host"),
        R(CauseIds.TcpReset, 89, "broken pipe", @"broken pipe"),
        R(CauseIds.TcpTimeout, 89, "i/o timeout|timed out", @"dial tcp [^ ]+: i/o timeout|dial tcp [^ ]+: connect: connection timed out"),
        R(CauseIds.TcpTimeout, 89, "timed out|connection attempt failed", @"(?i)connection timed out|connectex: A connection attempt failed because the connected party did not properly respond"),

        // Git and ssh, relayed by the go command in direct mode.
        R(CauseIds.GitAuthRequired, 80, "terminal prompts disabled", @"terminal prompts disabled", Where.Vcs),
        R(CauseIds.GitAuthRequired, 80, "could not read", @"could not read (?:Username|Password) for", Where.Vcs),
        R(CauseIds.GitAuthRequired, 80, "Authentication failed|Access denied|Invalid username", @"Authentication failed for|HTTP Basic: Access denied|Invalid username or password", Where.Vcs),
        R(CauseIds.GitSshAuth, 80, "Permission denied", @"Permission denied \((?:publickey|keyboard-interactive|password)", Where.Vcs),
        R(CauseIds.GitSshAuth, 80, "Host key verification failed", @"Host key verification failed", Where.Vcs),

        // The HTTP exchange (modfetch/proxy.go "reading URL: STATUS", web/http.go).
        R(CauseIds.HttpStreamError, 85, "http2|stream error|INTERNAL_ERROR", @"http2: server sent GOAWAY|http2: .*stream error|stream error: stream ID|INTERNAL_ERROR|http2: client connection lost", null),
        R(CauseIds.HttpTimeout, 85, "awaiting", @"Client\.Timeout exceeded while awaiting headers|timeout awaiting response headers"),
        R(CauseIds.HttpStreamError, 55, "unexpected EOF", @"unexpected EOF"),
        R(CauseIds.VersionUnknownRevision, 70, "unknown|no matching versions|reference not found", @"unknown revision|invalid version: unknown|no matching versions for query|reference not found|unknown commit"),
        R(CauseIds.VcsNoGoImport, 60, "go-import", @"no go-import meta tags|parsing go-import|go-import .* not found|missing go-import"),
        R(CauseIds.VcsNoGoImport, 58, "unrecognized import path", @"unrecognized import path", Where.GoGet),
        R(CauseIds.HttpNotFound, 50, "Not Found", @"\b404 Not Found"),
        R(CauseIds.HttpNotFound, 50, "Gone", @"\b410 Gone"),
        R(CauseIds.HttpForbidden, 50, "Unauthorized", @"\b401 Unauthorized"),
        R(CauseIds.HttpForbidden, 50, "Forbidden", @"\b403 Forbidden"),
        // A refusal too: Moddock throttles a client address whose credentials keep failing (and rate limits say no).
        R(CauseIds.HttpForbidden, 50, "Too Many Requests", @"\b429 Too Many Requests"),
        R(CauseIds.HttpServerError, 50, " 5|Bad Gateway|Internal Server Error|Service Unavailable|Gateway Time", @"(?::| got) 5\d\d(?: [A-Z][A-Za-z ]*)?\s*$|\b5\d\d (?:Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout|Gateway Time-out)"),
        // modfetch/proxy.go: a 200 whose body is not what the protocol says (a captive portal, a web server at
        // the wrong path): the proxy failed.
        R(CauseIds.HttpServerError, 50, "invalid response from proxy", @"invalid response from proxy """, Where.Proxy),
        R(CauseIds.TcpReset, 45, "EOF", @"(?:Get|Head|read) ""?[^""\s]+""?: EOF\s*$|: EOF\s*$"),
        R(CauseIds.GitFailed, 40, "fatal:", @"^\s*fatal: ", Where.Vcs),
        R(CauseIds.GitFailed, 40, "exit status", @"git (?:ls-remote|fetch|init|clone)\b.*exit status \d+", Where.Vcs),
    ];

    /// <summary>Literals of every rule, for the one-pass "could this line matter" test.</summary>
    public static IReadOnlyList<string> Anchors { get; } = All.SelectMany(r => r.Anchors).Append("server response").Distinct(StringComparer.Ordinal).ToArray();

    private static ExplainRule R(string cause, int depth, string anchor, string pattern, string? where = null) =>
        new(cause, depth, anchor.Split('|'), new Regex(pattern, Opts, TimeSpan.FromSeconds(1)), where);
}
