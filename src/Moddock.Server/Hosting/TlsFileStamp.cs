namespace Moddock.Server.Hosting;

/// <summary>What the certificate and key files looked like when read: a change of either means "reload".</summary>
internal sealed record TlsFileStamp(DateTime CertWritten, long CertLength, DateTime KeyWritten, long KeyLength)
{
    public static TlsFileStamp Of(string certPath, string keyPath)
    {
        var cert = new FileInfo(certPath);
        var key = new FileInfo(keyPath);
        return new TlsFileStamp(
            cert.Exists ? cert.LastWriteTimeUtc : default, cert.Exists ? cert.Length : -1,
            key.Exists ? key.LastWriteTimeUtc : default, key.Exists ? key.Length : -1);
    }
}
