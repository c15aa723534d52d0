using System.Security.Cryptography.X509Certificates;

namespace Moddock.Doctor.Probes.Tls;

/// <summary>
/// The roots Go trusts on Linux (crypto/x509/root_unix.go): the first readable file of the distribution
/// bundle list (or $SSL_CERT_FILE instead), plus every file of /etc/ssl/certs and /etc/pki/tls/certs (or
/// the colon-separated $SSL_CERT_DIR instead). .NET's own store is not used, so the doctor sees what Go sees.
/// </summary>
internal sealed class TrustStore
{
    private static readonly string[] CertFiles =
    [
        "/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/ca-bundle.pem",
        "/etc/pki/tls/cacert.pem", "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", "/etc/ssl/cert.pem",
    ];

    private static readonly string[] CertDirectories = ["/etc/ssl/certs", "/etc/pki/tls/certs", "/system/etc/security/cacerts"];

    private TrustStore(X509Certificate2Collection roots, IReadOnlyList<string> sources)
    {
        Roots = roots;
        Sources = sources;
    }

    public X509Certificate2Collection Roots { get; }

    public IReadOnlyList<string> Sources { get; }

    public static TrustStore Load(Func<string, string?> env)
    {
        var roots = new X509Certificate2Collection();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var sources = new List<string>();
        var files = env("SSL_CERT_FILE") is { Length: > 0 } f ? [f] : CertFiles;
        foreach (var file in files)
        {
            if (TryAdd(file, roots, seen) is { } n)
            {
                sources.Add($"{file} ({n})");
                break;
            }
        }

        var dirs = env("SSL_CERT_DIR") is { Length: > 0 } d ? d.Split(':', StringSplitOptions.RemoveEmptyEntries) : CertDirectories;
        foreach (var dir in dirs)
        {
            if (!Directory.Exists(dir))
            {
                continue;
            }

            var before = roots.Count;
            foreach (var entry in Directory.EnumerateFiles(dir))
            {
                // Like Go's readUniqueDirectoryEntries: a symlink to a file in the same directory is a duplicate.
                var info = new FileInfo(entry);
                if (info.LinkTarget is { } target && !target.Contains('/', StringComparison.Ordinal))
                {
                    continue;
                }

                TryAdd(entry, roots, seen);
            }

            if (roots.Count > before)
            {
                sources.Add($"{dir}/ ({roots.Count - before})");
            }
        }

        return new TrustStore(roots, sources);
    }

    private static int? TryAdd(string path, X509Certificate2Collection roots, HashSet<string> seen)
    {
        string pem;
        try
        {
            if (new FileInfo(path).Length > 16 * 1024 * 1024)
            {
                return null;
            }

            pem = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var added = 0;
        var pos = 0;
        while (true)
        {
            var start = pem.IndexOf("-----BEGIN CERTIFICATE-----", pos, StringComparison.Ordinal);
            if (start < 0)
            {
                break;
            }

            var end = pem.IndexOf("-----END CERTIFICATE-----", start, StringComparison.Ordinal);
            if (end < 0)
            {
                break;
            }

            end += "-----END CERTIFICATE-----".Length;
            pos = end;
            try
            {
                var cert = X509Certificate2.CreateFromPem(pem.AsSpan(start, end - start));
                if (seen.Add(cert.Thumbprint))
                {
                    roots.Add(cert);
                    added++;
                }
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // Go's AppendCertsFromPEM skips blocks it cannot parse.
            }
        }

        return added > 0 ? added : null;
    }
}
