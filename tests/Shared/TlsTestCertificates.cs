using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Moddock.Testing;

/// <summary>
/// A throw-away PKI made at test time with .NET's CertificateRequest: a root CA, optionally an intermediate,
/// and server certificates for 127.0.0.1 (valid, expired, other key type). Clients trust the CA through
/// SSL_CERT_FILE (the go command) or a custom chain policy (HttpClient). ECDSA P-256 keeps generation fast.
/// </summary>
internal static class TlsTestCertificates
{
    public static X509Certificate2 CreateCa(string name, X509Certificate2? issuer = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        if (issuer is null)
        {
            return request.CreateSelfSigned(now.AddDays(-2), now.AddYears(2));
        }

        using var signed = request.Create(issuer, now.AddDays(-2), now.AddYears(1), Serial());
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>A server certificate for 127.0.0.1 and localhost, signed by <paramref name="ca"/>.</summary>
    public static X509Certificate2 CreateServer(X509Certificate2 ca, string commonName = "moddock-test", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, bool rsa = false, bool serverAuth = true)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA r
            ? new CertificateRequest("CN=" + commonName, r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=" + commonName, (ECDsa)key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = DateTimeOffset.UtcNow;
        using var caKey = ca.GetECDsaPrivateKey()!;
        using var signed = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), notBefore ?? now.AddDays(-1), notAfter ?? now.AddDays(90), Serial());
        return key is RSA rsaKey ? signed.CopyWithPrivateKey(rsaKey) : signed.CopyWithPrivateKey((ECDsa)key);
    }

    /// <summary>Writes the certificate (then the chain) and its PKCS#8 key as PEM; returns both paths.</summary>
    public static (string CertPath, string KeyPath) WritePem(string dir, X509Certificate2 leaf, params X509Certificate2[] chain)
    {
        Directory.CreateDirectory(dir);
        var certPath = Path.Combine(dir, "server.crt");
        var keyPath = Path.Combine(dir, "server.key");
        File.WriteAllText(certPath, string.Concat(new[] { leaf }.Concat(chain).Select(c => c.ExportCertificatePem() + "\n")));
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)leaf.GetECDsaPrivateKey() ?? leaf.GetRSAPrivateKey()!;
        using (key)
        {
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        }

        return (certPath, keyPath);
    }

    /// <summary>Writes a CA certificate as PEM, e.g. for SSL_CERT_FILE.</summary>
    public static string WriteCaPem(string dir, X509Certificate2 ca)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "ca.pem");
        File.WriteAllText(path, ca.ExportCertificatePem() + "\n");
        return path;
    }

    /// <summary>An HttpClient that trusts only <paramref name="root"/> (no system roots, no callbacks that skip checks).</summary>
    public static HttpClient ClientTrusting(X509Certificate2 root)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(root);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = { CertificateChainPolicy = policy },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    private static byte[] Serial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        return serial;
    }
}
