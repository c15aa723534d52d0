namespace Moddock.Proxy.Sources.Git;

/// <summary>Why direct mode could not answer; DirectSource maps these onto SourceFailureKind.</summary>
internal enum DirectFailureKind
{
    NotFound,
    AuthRequired,
    Timeout,
    Invalid,
    TooLarge,
    Other,
}
