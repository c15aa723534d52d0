namespace Moddock.Proxy.Sources.Upstream;

/// <summary>How an upstream failure bears on retrying it and on its circuit breaker.</summary>
internal enum FailureClass
{
    /// <summary>Success, or an answer such as 404/410/403: the upstream works; not retried, not counted.</summary>
    None,

    /// <summary>Fast and likely to pass: reset, 502/503/504/429, a body shorter than its Content-Length. Retried, counted.</summary>
    Transient,

    /// <summary>Connection refused: fast, retried only when no <c>|</c> alternative exists. Counted.</summary>
    Unreachable,

    /// <summary>Timeouts, TLS failures, other 5xx: retrying costs too much or cannot help. Counted.</summary>
    Broken,
}
