namespace Moddock.Server.Health;

/// <summary>One upstream as /readyz lists it. State is "closed" (healthy), "open" (skipped by its circuit breaker), "half-open", or "unknown".</summary>
public sealed record UpstreamStatus(string Name, string Kind, string Fallback, string State);
