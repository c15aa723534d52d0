using Moddock.Doctor.Explain;
using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Probes;

/// <summary>
/// The cause id of an upstream failure as Moddock words it in `/readyz` (Moddock.Proxy's UpstreamHttp: "connection
/// refused by HOST (NAME)", "... (connect timeout)", "TLS handshake with HOST failed: DETAIL", ...). .NET's
/// socket and TLS texts differ from Go's, so these phrases come first; anything else goes through the same
/// rules as go command output. The end-to-end doctor tests run a real Moddock, so a changed phrase fails there.
/// </summary>
internal static class ModdockFailureText
{
    public static string Cause(string text)
    {
        // "NAME skipped: circuit open after repeated failures (last: REASON)": the reason is what failed.
        var last = text.IndexOf("(last: ", StringComparison.Ordinal);
        if (last >= 0)
        {
            return Cause(text[(last + "(last: ".Length)..].TrimEnd(')'));
        }

        if (text.StartsWith("TLS handshake with ", StringComparison.Ordinal))
        {
            return Has(text, "UntrustedRoot", "PartialChain", "unknown authority", "not trusted") ? CauseIds.TlsUnknownAuthority
                : Has(text, "NotTimeValid", "expired") ? CauseIds.TlsExpired
                : Has(text, "NameMismatch", "name mismatch") ? CauseIds.TlsHostnameMismatch
                : CauseIds.TlsProtocol;
        }

        return Has(text, "connection refused") ? CauseIds.TcpRefused
            : Has(text, "(connect timeout)") ? CauseIds.TcpTimeout
            : Has(text, "(first-byte timeout)", "(body idle timeout)") ? CauseIds.HttpTimeout
            : text.StartsWith("cannot resolve ", StringComparison.Ordinal) ? CauseIds.DnsNxdomain
            : Has(text, " is unreachable: ") ? (Has(text, "timed out") ? CauseIds.TcpTimeout : CauseIds.TcpUnreachable)
            : Has(text, " closed the connection after ") ? CauseIds.HttpStreamError
            : Has(text, " reset: ") ? CauseIds.TcpReset
            : Has(text, " answered 407") ? CauseIds.ProxyAuthRequired
            : Has(text, " answered 401", " answered 403") ? CauseIds.HttpForbidden
            : Has(text, " answered 5") ? CauseIds.HttpServerError
            : FailureClassifier.FirstMatch(text)?.Cause ?? CauseIds.HttpServerError;
    }

    private static bool Has(string text, params string[] parts) => parts.Any(p => text.Contains(p, StringComparison.Ordinal));
}
