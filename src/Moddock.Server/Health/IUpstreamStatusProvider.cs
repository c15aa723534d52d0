namespace Moddock.Server.Health;

/// <summary>Where /readyz learns the state of each upstream (the proxy pipeline's circuit breakers).</summary>
public interface IUpstreamStatusProvider
{
    IReadOnlyList<UpstreamStatus> Snapshot();

    /// <summary>The read-ahead's counters, when there is a proxy pipeline.</summary>
    Moddock.Proxy.PrefetchStatus? Prefetch() => null;
}
