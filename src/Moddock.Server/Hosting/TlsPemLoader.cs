using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Moddock.Server.Configuration;

namespace Moddock.Server.Hosting;

/// <summary>
/// Reads --tls-cert (a PEM chain, leaf first) and --tls-key (an unencrypted PEM RSA or ECDSA key) and says
/// precisely what is wrong with them, per setting, so start-up validation and reloading report the same
/// reasons. Nothing from the key file is ever put in a message.
/// </summary>
internal static class TlsPemLoader
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <param name="problems">Receives (setting key, reason) for each problem found.</param>
    /// <summary>Words of the problem for a certificate whose validity has not started: the only one that time alone cures.</summary>
    internal const string NotYetValid = "is not valid before";

    public static TlsCertificate? Load(string certPath, string keyPath, DateTimeOffset now, List<(string Key, string Message)> problems)
    {
        var stamp = TlsFileStamp.Of(certPath, keyPath);
        var certText = ReadText(certPath, ServeSettingKeys.TlsCert, problems);
        var chain = certText is null ? null : ReadChain(certText, problems);
        var keyText = ReadText(keyPath, ServeSettingKeys.TlsKey, problems);
        var keyProblem = keyText is null ? null : KeyBlockProblem(keyText);
        if (keyProblem is not null)
        {
            problems.Add((ServeSettingKeys.TlsKey, keyProblem));
        }

        if (chain is null || keyText is null || keyProblem is not null)
        {
            return null;
        }

        var leaf = chain[0];
        var withKey = Pair(leaf, keyText, problems);
        if (withKey is null)
        {
            return null;
        }

        var count = problems.Count;
        CheckValidity(withKey, now, problems);
        if (problems.Count > count)
        {
            return null;
        }

        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < chain.Count; i++)
        {
            intermediates.Add(chain[i]);
        }

        return new TlsCertificate(withKey, intermediates, stamp);
    }

    private static string? ReadText(string path, string key, List<(string Key, string Message)> problems)
    {
        if (!File.Exists(path))
        {
            problems.Add((key, "no such file"));
            return null;
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add((key, "cannot read the file: " + e.Message));
            return null;
        }
    }

    private static X509Certificate2Collection? ReadChain(string text, List<(string Key, string Message)> problems)
    {
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(text);
        }
        catch (CryptographicException e)
        {
            problems.Add((ServeSettingKeys.TlsCert, "a CERTIFICATE block is not a valid X.509 certificate: " + e.Message));
            return null;
        }

        if (chain.Count == 0)
        {
            problems.Add((ServeSettingKeys.TlsCert, "no PEM certificate in the file (want -----BEGIN CERTIFICATE-----, the server's certificate first)"));
            return null;
        }

        return chain;
    }

    /// <summary>Null when the file holds an unencrypted PEM private key block; else why not.</summary>
    private static string? KeyBlockProblem(string text)
    {
        var rest = text.AsSpan();
        var sawEncrypted = false;
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label];
            if (label is "PRIVATE KEY" or "RSA PRIVATE KEY" or "EC PRIVATE KEY")
            {
                return null;
            }

            sawEncrypted |= label is "ENCRYPTED PRIVATE KEY";
            rest = rest[fields.Location.End..];
        }

        return sawEncrypted
            ? "the private key is encrypted; give an unencrypted PEM key (e.g. openssl pkey -in KEY -out PLAIN.key) and protect the file instead"
            : "no PEM private key in the file (want -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)";
    }

    /// <summary>The leaf with the key of the key file attached, or null with the reason the two do not pair up.</summary>
    private static X509Certificate2? Pair(X509Certificate2 leaf, string keyText, List<(string Key, string Message)> problems)
    {
        using var certRsa = leaf.GetRSAPublicKey();
        using var certEc = certRsa is null ? leaf.GetECDsaPublicKey() : null;
        if (certRsa is null && certEc is null)
        {
            problems.Add((ServeSettingKeys.TlsCert, "the certificate's public key is neither RSA nor ECDSA"));
            return null;
        }

        using var rsa = TryImport(RSA.Create(), keyText);
        using var ec = rsa is null ? TryImport(ECDsa.Create(), keyText) : null;
        if (rsa is null && ec is null)
        {
            problems.Add((ServeSettingKeys.TlsKey, "the PEM private key is not a valid RSA or ECDSA key"));
            return null;
        }

        try
        {
            return certRsa is not null && rsa is not null ? leaf.CopyWithPrivateKey(rsa)
                : certEc is not null && ec is not null ? leaf.CopyWithPrivateKey(ec)
                : throw new CryptographicException("key type differs");
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            var keyKind = rsa is null ? "ECDSA" : "RSA";
            var certKind = certRsa is null ? "ECDSA" : "RSA";
            problems.Add((ServeSettingKeys.TlsKey, keyKind == certKind
                ? $"does not match the certificate in tls-cert ({Describe(leaf)}): it is a different {keyKind} key"
                : $"does not match the certificate in tls-cert ({Describe(leaf)}): it is an {keyKind} key, the certificate has an {certKind} key"));
            return null;
        }
    }

    private static T? TryImport<T>(T algorithm, string pem)
        where T : AsymmetricAlgorithm
    {
        try
        {
            algorithm.ImportFromPem(pem);
            return algorithm;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            algorithm.Dispose();
            return null;
        }
    }

    /// <summary>
    /// An expired or not-yet-valid certificate is refused at start: every go client would fail with an x509
    /// error while /healthz looks fine, so the operator must learn it now, not from users. A certificate
    /// without the serverAuth usage is refused for the same reason.
    /// </summary>
    private static void CheckValidity(X509Certificate2 leaf, DateTimeOffset now, List<(string Key, string Message)> problems)
    {
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        if (now > notAfter)
        {
            problems.Add((ServeSettingKeys.TlsCert, $"the certificate ({Describe(leaf)}) expired on {Format(notAfter)}; clients would refuse it"));
        }
        else if (now < notBefore)
        {
            problems.Add((ServeSettingKeys.TlsCert, $"the certificate ({Describe(leaf)}) {NotYetValid} {Format(notBefore)}; clients would refuse it"));
        }

        foreach (var eku in leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>())
        {
            if (!eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ServerAuthOid))
            {
                problems.Add((ServeSettingKeys.TlsCert, $"the certificate ({Describe(leaf)}) is not for TLS servers (its extended key usage lacks serverAuth)"));
            }
        }
    }

    private static string Describe(X509Certificate2 leaf) => "subject " + leaf.Subject;

    private static string Format(DateTimeOffset t) => t.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
