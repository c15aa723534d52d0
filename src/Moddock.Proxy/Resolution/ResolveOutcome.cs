namespace Moddock.Proxy;

/// <summary>What became of a request; only Moddock.Server turns this into an HTTP status.</summary>
public enum ResolveOutcome
{
    Found,
    NotFound,
    Gone,
    BadRequest,

    /// <summary>Every source that was tried failed for a reason other than not-found (server: 502 with the reason).</summary>
    UpstreamFailed,

    /// <summary>A source answered, but what it sent did not check out (zip rules, go.mod, .info version, checksum database).</summary>
    Refused,
    Unauthorized,
    Forbidden,

    /// <summary>
    /// Moddock's own storage could not take what a source sent (the disk full, or too small for an announced zip; an
    /// I/O or permission error): no other source is tried, since the next would fail the same way (server: 507).
    /// </summary>
    StorageFailed,
}
