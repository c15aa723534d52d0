namespace Moddock.Proxy;

/// <summary>The bytes of a found artifact: a stored file (served with sendfile) or a stream.</summary>
public sealed class ArtifactContent
{
    /// <summary>Content of a stored, complete file. The file never changes once stored.</summary>
    public ArtifactContent(string filePath, long length, string contentType, DateTimeOffset? lastModified, bool stale = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        FilePath = filePath;
        Length = length;
        ContentType = contentType;
        LastModified = lastModified;
        Stale = stale;
    }

    /// <summary>Content that is not a stored file. <paramref name="length"/> is -1 when not known in advance.</summary>
    public ArtifactContent(Func<CancellationToken, Stream> openStream, long length, string contentType, DateTimeOffset? lastModified, bool stale = false)
    {
        ArgumentNullException.ThrowIfNull(openStream);
        OpenStream = openStream;
        Length = length;
        ContentType = contentType;
        LastModified = lastModified;
        Stale = stale;
    }

    /// <summary>Path of the complete stored file; serve it with sendfile when set.</summary>
    public string? FilePath { get; }

    /// <summary>Exact length in bytes; -1 only for a streaming answer whose upstream sent no Content-Length.</summary>
    public long Length { get; }

    /// <summary>
    /// Opens the content when <see cref="FilePath"/> is null. For a zip still being fetched this stream
    /// follows the download; if the download then fails verification the stream throws an
    /// <see cref="IOException"/> before its last byte, so a client never receives a complete bad zip.
    /// </summary>
    public Func<CancellationToken, Stream>? OpenStream { get; }

    public string ContentType { get; }

    public DateTimeOffset? LastModified { get; }

    /// <summary>True when a list/@latest is served past its TTL.</summary>
    public bool Stale { get; }

    /// <summary>Opens the content whichever form it has.</summary>
    public Stream Open(CancellationToken ct) =>
        FilePath is { } path
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.Asynchronous | FileOptions.SequentialScan)
            : OpenStream!(ct);

    internal static ArtifactContent FromBytes(ReadOnlyMemory<byte> bytes, string contentType, DateTimeOffset? lastModified, bool stale = false) =>
        new(_ => new MemoryStream(bytes.ToArray(), writable: false), bytes.Length, contentType, lastModified, stale);
}
