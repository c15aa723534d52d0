using System.Security.Cryptography.X509Certificates;
using Moddock.Server.Configuration;
using Moddock.Testing;

namespace Moddock.Server.Tests.Configuration;

/// <summary>tls-cert / tls-key: precedence like every other setting, and each problem reported with its key and value.</summary>
public sealed class ServeOptionsTlsTests
{
    private static readonly Lazy<X509Certificate2> Ca = new(() => TlsTestCertificates.CreateCa("moddock config test CA"));

    private static Func<string, string?> Env(params (string Key, string Value)[] vars)
    {
        var d = vars.ToDictionary(v => v.Key, v => v.Value);
        d.TryAdd("HOME", "/home/gopher");
        return k => d.TryGetValue(k, out var v) ? v : null;
    }

    private static (string Cert, string Key) Pair(string name, X509Certificate2? leaf = null) =>
        TlsTestCertificates.WritePem(TestEnvironment.NewTempDir("tls-" + name), leaf ?? TlsTestCertificates.CreateServer(Ca.Value));

    private static ServeOptionsResult Build(string cert, string key, TimeProvider? time = null) =>
        ServeOptionsBuilder.Build(new Dictionary<string, string> { ["tls-cert"] = cert, ["tls-key"] = key }, Env(), time ?? TimeProvider.System);

    [Fact]
    public void Build_NoTlsSettings_PlainHttp()
    {
        var o = ServeOptionsBuilder.Build(new Dictionary<string, string>(), Env()).Options!;

        Assert.Null(o.TlsCert);
        Assert.Null(o.TlsKey);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Build_ValidPemPair_IsAccepted(bool rsa)
    {
        var (cert, key) = Pair("valid", TlsTestCertificates.CreateServer(Ca.Value, rsa: rsa));

        var result = Build(cert, key);

        Assert.Empty(result.Problems);
        Assert.Equal(cert, result.Options!.TlsCert);
        Assert.Equal(key, result.Options.TlsKey);
    }

    [Fact]
    public void Build_CertificateAndKeyInOneFile_GivenForBoth_IsAccepted()
    {
        var (cert, key) = Pair("combined");
        var combined = Path.Combine(Path.GetDirectoryName(cert)!, "combined.pem");
        File.WriteAllText(combined, File.ReadAllText(cert) + File.ReadAllText(key));

        var result = Build(combined, combined);

        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Build_TlsFromFlagEnvAndFile_FlagBeatsEnvBeatsFile()
    {
        var (fileCert, fileKey) = Pair("file");
        var (envCert, envKey) = Pair("env");
        var (flagCert, _) = Pair("flag");
        var config = Path.Combine(TestEnvironment.NewTempDir("tls-yaml"), "moddock.yaml");
        File.WriteAllText(config, $"tls-cert: {fileCert}\ntls-key: {fileKey}\n");

        var fileOnly = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["config"] = config }, Env()).Options!;
        var envWins = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["config"] = config }, Env(("MODDOCK_TLS_CERT", envCert), ("MODDOCK_TLS_KEY", envKey))).Options!;
        // The flag's certificate with the environment's key: the pair is checked after merging, so this is a mismatch.
        var mixed = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["config"] = config, ["tls-cert"] = flagCert }, Env(("MODDOCK_TLS_KEY", envKey)));

        Assert.Equal((fileCert, fileKey), (fileOnly.TlsCert, fileOnly.TlsKey));
        Assert.Equal((envCert, envKey), (envWins.TlsCert, envWins.TlsKey));
        var p = Assert.Single(mixed.Problems);
        Assert.Equal(("tls-key", "env MODDOCK_TLS_KEY", envKey), (p.Key, p.Source, p.Value));
        Assert.Contains("does not match the certificate", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_OnlyOneOfThePair_ProblemNamesTheMissingKey()
    {
        var (cert, key) = Pair("half");

        var noKey = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["tls-cert"] = cert }, Env());
        var noCert = ServeOptionsBuilder.Build(new Dictionary<string, string>(), Env(("MODDOCK_TLS_KEY", key)));

        Assert.Equal("tls-key", Assert.Single(noKey.Problems).Key);
        Assert.Contains("must be set together with tls-cert", noKey.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal("tls-cert", Assert.Single(noCert.Problems).Key);
        Assert.Null(noCert.Options);
    }

    [Fact]
    public void Build_MissingFilesAndOtherProblems_AllReportedAtOnce()
    {
        var dir = TestEnvironment.NewTempDir("tls-missing");

        var result = ServeOptionsBuilder.Build(
            new Dictionary<string, string>
            {
                ["tls-cert"] = Path.Combine(dir, "nope.crt"),
                ["tls-key"] = Path.Combine(dir, "nope.key"),
                ["listen"] = "nowhere",
            },
            Env());

        Assert.Null(result.Options);
        Assert.Equal(["listen", "tls-cert", "tls-key"], result.Problems.Select(p => p.Key).Order());
        Assert.All(result.Problems.Where(p => p.Key.StartsWith("tls", StringComparison.Ordinal)), p =>
        {
            Assert.Equal("no such file", p.Message);
            Assert.Equal("flag --" + p.Key, p.Source);
            Assert.EndsWith(p.Key == "tls-cert" ? "nope.crt" : "nope.key", p.Value, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Build_FilesAreNotPem_BothReportedWithoutKeyContent()
    {
        var (cert, key) = Pair("der");
        var der = X509Certificate2.CreateFromPem(File.ReadAllText(cert)).RawData;
        File.WriteAllBytes(cert, der);
        File.WriteAllText(key, "password=hunter2\n");

        var result = Build(cert, key);

        Assert.Equal(["tls-cert", "tls-key"], result.Problems.Select(p => p.Key).Order());
        Assert.Contains("no PEM certificate", result.Problems.Single(p => p.Key == "tls-cert").Message, StringComparison.Ordinal);
        Assert.Contains("no PEM private key", result.Problems.Single(p => p.Key == "tls-key").Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Problems, p => p.ToString().Contains("hunter2", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_CertificateAndKeySwapped_BothReported()
    {
        var (cert, key) = Pair("swapped");

        var result = Build(key, cert);

        Assert.Equal(["tls-cert", "tls-key"], result.Problems.Select(p => p.Key).Order());
    }

    [Fact]
    public void Build_EncryptedKey_ExplainsHowToDecrypt()
    {
        var leaf = TlsTestCertificates.CreateServer(Ca.Value);
        var (cert, key) = Pair("encrypted", leaf);
        using var ec = leaf.GetECDsaPrivateKey()!;
        File.WriteAllText(key, ec.ExportEncryptedPkcs8PrivateKeyPem("pw", new System.Security.Cryptography.PbeParameters(
            System.Security.Cryptography.PbeEncryptionAlgorithm.Aes128Cbc, System.Security.Cryptography.HashAlgorithmName.SHA256, 1000)));

        var p = Assert.Single(Build(cert, key).Problems);

        Assert.Equal("tls-key", p.Key);
        Assert.Contains("encrypted", p.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "it is a different ECDSA key")]
    [InlineData(true, "it is an RSA key, the certificate has an ECDSA key")]
    public void Build_KeyOfAnotherCertificate_MismatchNamesTheSubject(bool otherIsRsa, string reason)
    {
        var (cert, _) = Pair("mine", TlsTestCertificates.CreateServer(Ca.Value, commonName: "mine.example"));
        var (_, otherKey) = Pair("other", TlsTestCertificates.CreateServer(Ca.Value, rsa: otherIsRsa));

        var p = Assert.Single(Build(cert, otherKey).Problems);

        Assert.Equal(("tls-key", otherKey), (p.Key, p.Value));
        Assert.Contains("CN=mine.example", p.Message, StringComparison.Ordinal);
        Assert.EndsWith(reason, p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ExpiredCertificate_IsRefusedWithItsExpiry()
    {
        var notAfter = DateTimeOffset.UtcNow.AddDays(-3);
        var (cert, key) = Pair("expired", TlsTestCertificates.CreateServer(Ca.Value, notBefore: notAfter.AddDays(-30), notAfter: notAfter));

        var p = Assert.Single(Build(cert, key).Problems);

        Assert.Equal(("tls-cert", cert), (p.Key, p.Value));
        Assert.Contains("expired on " + notAfter.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ValidityJudgedByTheInjectedClock()
    {
        var (cert, key) = Pair("clock");
        var later = new ManualTimeProvider(DateTimeOffset.UtcNow.AddDays(200));
        var earlier = new ManualTimeProvider(DateTimeOffset.UtcNow.AddDays(-30));

        Assert.Contains("expired on", Assert.Single(Build(cert, key, later).Problems).Message, StringComparison.Ordinal);
        Assert.Contains("not valid before", Assert.Single(Build(cert, key, earlier).Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ClientOnlyCertificate_IsRefused()
    {
        var (cert, key) = Pair("client", TlsTestCertificates.CreateServer(Ca.Value, serverAuth: false));

        var p = Assert.Single(Build(cert, key).Problems);

        Assert.Equal("tls-cert", p.Key);
        Assert.Contains("serverAuth", p.Message, StringComparison.Ordinal);
    }
}
