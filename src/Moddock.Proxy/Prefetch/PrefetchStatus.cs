namespace Moddock.Proxy;

/// <summary>Counters of the read-ahead since start (for /readyz).</summary>
/// <param name="Queued">Work accepted: artifacts to fetch and go.mod files to read requirements from.</param>
/// <param name="Fetched">Prefetched artifacts now stored (or already stored).</param>
/// <param name="Failed">Prefetches that ended in anything but found (not found, upstream failure, refused).</param>
/// <param name="Dropped">Work refused because the queue was full.</param>
public sealed record PrefetchStatus(bool Enabled, long Queued, long Fetched, long Failed, long Dropped)
{
    /// <summary>Read-ahead off (<see cref="PrefetchKinds.None"/>, or offline).</summary>
    public static PrefetchStatus Off { get; } = new(false, 0, 0, 0, 0);
}
