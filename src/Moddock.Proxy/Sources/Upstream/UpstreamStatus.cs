namespace Moddock.Proxy.Sources.Upstream;

/// <summary>One upstream's state for /readyz.</summary>
/// <param name="Circuit">closed, open, half-open or isolated (Polly's circuit states), or "n/a" for direct.</param>
public sealed record UpstreamStatus(string Name, string Circuit, string? LastFailure, DateTimeOffset? LastFailureAt);
