namespace Moddock.Proxy;

/// <summary>
/// Thrown by a streamed zip's body when Moddock's own storage failed under the download (the disk filled, the file
/// system went read-only): the fault is ours, not the upstream's. Before the first byte the server answers 507
/// Insufficient Storage with <see cref="Exception.Message"/> (the storage's reason), like a small zip whose write
/// failed; mid-body the connection is cut, like any other failed stream.
/// </summary>
public sealed class ArtifactNotStoredException : IOException
{
    public ArtifactNotStoredException(string message)
        : base(message)
    {
    }
}
