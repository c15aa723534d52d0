using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Moddock.Doctor.Tests.Faults;

/// <summary>A local test CA and leaves made with .NET's CertificateRequest: valid, expired, for another host, and from an untrusted CA.</summary>
internal sealed class TestCertificates : IDisposable
{
    public TestCertificates(string dir)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Ca = MakeCa("Moddock Test Root CA", caKey);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var untrustedCa = MakeCa("Untrusted Inspecting Proxy CA", otherKey);
        var now = DateTimeOffset.UtcNow;
        Valid = Leaf(Ca, caKey, ["localhost"], [IPAddress.Loopback], now.AddDays(-1), now.AddDays(30));
        Expired = Leaf(Ca, caKey, ["localhost"], [IPAddress.Loopback], now.AddDays(-30), now.AddDays(-2));
        OtherHost = Leaf(Ca, caKey, ["other.example"], [], now.AddDays(-1), now.AddDays(30));
        Untrusted = Leaf(untrustedCa, otherKey, ["localhost"], [IPAddress.Loopback], now.AddDays(-1), now.AddDays(30));
        CaFile = Path.Combine(dir, "test-ca.pem");
        File.WriteAllText(CaFile, Ca.ExportCertificatePem() + "\n");
        untrustedCa.Dispose();
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Valid { get; }

    public X509Certificate2 Expired { get; }

    public X509Certificate2 OtherHost { get; }

    public X509Certificate2 Untrusted { get; }

    public string CaFile { get; }

    public void Dispose()
    {
        Ca.Dispose();
        Valid.Dispose();
        Expired.Dispose();
        OtherHost.Dispose();
        Untrusted.Dispose();
    }

    private static X509Certificate2 MakeCa(string name, ECDsa key)
    {
        var req = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        return req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddYears(1));
    }

    private static X509Certificate2 Leaf(X509Certificate2 ca, ECDsa caKey, string[] dns, IPAddress[] ips, DateTimeOffset from, DateTimeOffset to)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest($"CN={(dns.Length > 0 ? dns[0] : "leaf")}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var d in dns)
        {
            san.AddDnsName(d);
        }

        foreach (var ip in ips)
        {
            san.AddIpAddress(ip);
        }

        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(12);
        _ = caKey;
        using var cert = req.Create(ca, from, to, serial);
        using var withKey = cert.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
