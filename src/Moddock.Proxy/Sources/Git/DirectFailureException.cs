namespace Moddock.Proxy.Sources.Git;

/// <summary>
/// An expected failure deep inside the git layer (unknown revision, refused credentials, timeout).
/// It never leaves the Git folder: DirectSource catches it at its one public boundary and turns it
/// into a SourceFailure value, so the many layers between stay free of result plumbing.
/// The message is already redacted.
/// </summary>
internal sealed class DirectFailureException(DirectFailureKind kind, string message) : Exception(message)
{
    public DirectFailureKind Kind { get; } = kind;
}
