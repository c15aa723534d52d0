using System.Net;
using System.Security.Cryptography.X509Certificates;
using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Probes.Tls;

/// <summary>
/// Verifies a server chain in the order of Go's x509.Certificate.Verify (verify.go): the leaf's validity
/// period first ("certificate has expired or is not yet valid"), then the host name ("certificate is valid
/// for …, not …"; no CN fallback, IP hosts need IP SANs), then a chain to a trusted root ("signed by unknown
/// authority"). The issuer is named because a TLS-inspecting middlebox shows up there.
/// </summary>
internal static class CertificateVerifier
{
    public static CertificateVerdict Verify(X509Certificate2 leaf, X509Chain? presented, string host, TrustStore trust, DateTimeOffset now)
    {
        var subject = leaf.Subject;
        var issuer = leaf.Issuer;
        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        CertificateVerdict V(string? cause, string detail) => new(cause, detail, subject, issuer, notBefore, notAfter);

        if (now < notBefore || now > notAfter)
        {
            var which = now > notAfter ? $"current time {now:yyyy-MM-ddTHH:mm:ssZ} is after {notAfter:yyyy-MM-ddTHH:mm:ssZ}" : $"current time {now:yyyy-MM-ddTHH:mm:ssZ} is before {notBefore:yyyy-MM-ddTHH:mm:ssZ}";
            return V(CauseIds.TlsExpired, $"x509: certificate has expired or is not yet valid: {which} (issuer {issuer})");
        }

        if (HostnameError(leaf, host) is { } mismatch)
        {
            return V(CauseIds.TlsHostnameMismatch, mismatch + $" (issuer {issuer})");
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trust.Roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        if (presented is not null)
        {
            foreach (var el in presented.ChainElements)
            {
                if (!el.Certificate.Equals(leaf))
                {
                    chain.ChainPolicy.ExtraStore.Add(el.Certificate);
                }
            }
        }

        if (!chain.Build(leaf))
        {
            var statuses = chain.ChainStatus.Select(s => s.Status).ToList();
            if (statuses.Any(s => s is X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain or X509ChainStatusFlags.NotSignatureValid)
                || statuses.Count == 0)
            {
                var root = chain.ChainElements.Count > 0 ? chain.ChainElements[^1].Certificate.Subject : issuer;
                var hint = trust.Roots.Count == 0 ? "; no CA certificates are installed" : string.Empty;
                return V(CauseIds.TlsUnknownAuthority, $"x509: certificate signed by unknown authority (issuer {issuer}, chain ends at {root}{hint})");
            }

            return V(CauseIds.TlsUnknownAuthority, "x509: " + string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim())) + $" (issuer {issuer})");
        }

        return V(null, $"valid for {string.Join(", ", Names(leaf).Take(4))}; issuer {issuer}; expires {notAfter:yyyy-MM-dd}");
    }

    private static string? HostnameError(X509Certificate2 leaf, string host)
    {
        var names = Names(leaf).ToList();
        var ips = IpSans(leaf).ToList();
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            if (ips.Any(x => x.Equals(ip)))
            {
                return null;
            }

            return ips.Count == 0
                ? $"x509: cannot validate certificate for {host} because it doesn't contain any IP SANs"
                : $"x509: certificate is valid for {string.Join(", ", ips)}, not {host}";
        }

        var h = host.TrimEnd('.').ToLowerInvariant();
        foreach (var n in names)
        {
            var name = n.ToLowerInvariant();
            if (name == h)
            {
                return null;
            }

            if (name.StartsWith("*.", StringComparison.Ordinal) && h.Contains('.', StringComparison.Ordinal) && h[h.IndexOf('.', StringComparison.Ordinal)..] == name[1..])
            {
                return null;
            }
        }

        return names.Count == 0
            ? "x509: certificate is not valid for any names, but wanted to match " + host
            : $"x509: certificate is valid for {string.Join(", ", names)}, not {host}";
    }

    private static IEnumerable<string> Names(X509Certificate2 cert)
    {
        foreach (var ext in cert.Extensions)
        {
            if (ext is X509SubjectAlternativeNameExtension san)
            {
                foreach (var n in san.EnumerateDnsNames())
                {
                    yield return n;
                }
            }
        }
    }

    private static IEnumerable<IPAddress> IpSans(X509Certificate2 cert)
    {
        foreach (var ext in cert.Extensions)
        {
            if (ext is X509SubjectAlternativeNameExtension san)
            {
                foreach (var ip in san.EnumerateIPAddresses())
                {
                    yield return ip;
                }
            }
        }
    }
}
