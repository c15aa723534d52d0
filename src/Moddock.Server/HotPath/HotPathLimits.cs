namespace Moddock.Server.HotPath;

/// <summary>
/// The time limits the hot path enforces while it owns a connection: Kestrel's own defaults,
/// so a client sees the same patience from either path. Checked once a second, like Kestrel's.
/// </summary>
internal sealed record HotPathLimits
{
    /// <summary>Kestrel's KeepAliveTimeout: how long an idle connection waits for its next request.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(130);

    /// <summary>Kestrel's RequestHeadersTimeout: how long a started request head may take to arrive whole.</summary>
    public TimeSpan RequestHeaders { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Kestrel's MinResponseDataRate (240 bytes/s after a 5 s grace), applied to a whole response.</summary>
    public double MinResponseBytesPerSecond { get; init; } = 240;

    public TimeSpan ResponseGrace { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan SendLimit(long bytes) => ResponseGrace + TimeSpan.FromSeconds(bytes / MinResponseBytesPerSecond);
}
