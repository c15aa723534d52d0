namespace Moddock.Proxy;

/// <summary>
/// Thrown by an answer's body stream before its first byte when the bytes it announced are gone: another
/// process sharing the storage stored a different copy of the same zip first (same h1, e.g. one from a
/// mirror and one built from git), and every reader of this download's own copy had already finished; or this
/// download's stored copy was removed since it was stored (by hand, or discarded as damaged).
/// Nothing was sent, so the server asks the resolver again and answers with the stored copy, or fetches anew.
/// </summary>
public sealed class ArtifactSupersededException : IOException
{
    public ArtifactSupersededException()
        : base("download aborted: another process stored a different copy of this zip first; retry to get it")
    {
    }

    public ArtifactSupersededException(string message)
        : base(message)
    {
    }

    public ArtifactSupersededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
