using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Moddock.Server.Hosting;

/// <summary>
/// A loaded --tls-cert / --tls-key pair: the leaf with its private key, the intermediates that followed it
/// in the PEM file (sent in the handshake so clients that only trust the root can build the chain), and the
/// fingerprint of the two files it was read from (for reloading).
/// </summary>
internal sealed class TlsCertificate
{
    internal TlsCertificate(X509Certificate2 leaf, X509Certificate2Collection intermediates, TlsFileStamp stamp)
    {
        Leaf = leaf;
        Intermediates = intermediates;
        Stamp = stamp;
        // Built once per certificate: building the context resolves the chain, too costly per connection.
        Context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
    }

    public X509Certificate2 Leaf { get; }

    public X509Certificate2Collection Intermediates { get; }

    public string Subject => Leaf.Subject;

    public DateTimeOffset NotBefore => new(Leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero);

    public DateTimeOffset NotAfter => new(Leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);

    internal TlsFileStamp Stamp { get; }

    internal SslStreamCertificateContext Context { get; }
}
