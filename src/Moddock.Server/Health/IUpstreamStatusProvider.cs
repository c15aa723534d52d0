namespace Moddock.Server.Health;

/// <summary>Where /readyz learns the state of each upstream (the proxy pipeline's circuit breakers).</summary>
public interface IUpstreamStatusProvider
{
    IReadOnlyList<UpstreamStatus> Snapshot();
}
