namespace Moddock.Server.Health;

/// <summary>
/// One upstream as /readyz lists it. State is the circuit breaker's: "closed" (in use), "open"
/// (skipped), "half-open" (probing), or "n/a"/"unknown" where there is none; "offline" in --offline.
/// </summary>
public sealed record UpstreamStatus(string Name, string Kind, string Fallback, string State, string? LastFailure = null, DateTimeOffset? LastFailureAt = null);
