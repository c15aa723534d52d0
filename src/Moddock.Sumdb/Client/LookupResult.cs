namespace Moddock.Sumdb.Client;

/// <summary>A verified lookup: the go.sum lines for M V (and M V/go.mod), plus the raw authenticated response.</summary>
internal sealed record LookupResult(LookupOutcome Outcome, IReadOnlyList<string> Lines, byte[]? Raw, string? Reason)
{
    public static LookupResult Fail(LookupOutcome outcome, string reason) => new(outcome, [], null, reason);
}
