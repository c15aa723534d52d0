namespace Moddock.Proxy.Sources;

/// <summary>Why a source could not deliver; NotFound and Gone are the only kinds a <c>,</c> falls through on.</summary>
public enum SourceFailureKind
{
    NotFound,
    Gone,
    Refused,
    Timeout,
    Tls,
    Status,
    Truncated,
    Invalid,
    AuthRequired,
    Other,
}
