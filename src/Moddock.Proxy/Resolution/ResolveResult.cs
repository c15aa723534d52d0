namespace Moddock.Proxy;

/// <summary>The answer to one <see cref="ModuleRequest"/>; only the Server maps it to HTTP.</summary>
public sealed class ResolveResult
{
    private ResolveResult(ResolveOutcome outcome, string? reason, ArtifactContent? content, CacheStatus cache, string? upstream)
    {
        Outcome = outcome;
        Reason = reason;
        Content = content;
        Cache = cache;
        Upstream = upstream;
    }

    public ResolveOutcome Outcome { get; }

    /// <summary>The text/plain body for a failure, which the go command prints; never contains secrets.</summary>
    public string? Reason { get; }

    /// <summary>Set when <see cref="Outcome"/> is <see cref="ResolveOutcome.Found"/>.</summary>
    public ArtifactContent? Content { get; }

    public CacheStatus Cache { get; }

    /// <summary>Name of the source that answered (a redacted URL, or "direct"), if any.</summary>
    public string? Upstream { get; }

    public static ResolveResult Found(ArtifactContent content, CacheStatus cache, string? upstream = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        return new(ResolveOutcome.Found, null, content, cache, upstream);
    }

    public static ResolveResult Failed(ResolveOutcome outcome, string reason, CacheStatus cache = CacheStatus.Bypass, string? upstream = null)
    {
        if (outcome == ResolveOutcome.Found)
        {
            throw new ArgumentException("use Found for a found artifact", nameof(outcome));
        }

        return new(outcome, reason, null, cache, upstream);
    }

    public override string ToString() => Outcome == ResolveOutcome.Found ? $"Found ({Cache})" : $"{Outcome} ({Cache}): {Reason}";
}
