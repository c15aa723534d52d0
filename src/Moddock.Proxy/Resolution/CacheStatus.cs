namespace Moddock.Proxy;

/// <summary>How the answer relates to the cache, for the per-request log line and the stale header.</summary>
public enum CacheStatus
{
    /// <summary>Served from the store (or the negative cache) without asking an upstream.</summary>
    Hit,

    /// <summary>Fetched from a source for this request (or a concurrent one it joined).</summary>
    Miss,

    /// <summary>A list/@latest older than its TTL, served because every source failed (or offline).</summary>
    Stale,

    /// <summary>Not cacheable: a non-canonical query, or a request refused before the cache.</summary>
    Bypass,
}
