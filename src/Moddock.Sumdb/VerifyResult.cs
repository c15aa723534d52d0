namespace Moddock.Sumdb;

/// <param name="Expected">The h1 the checksum database has, when known.</param>
/// <param name="Actual">The h1 of what was fetched.</param>
public sealed record VerifyResult(VerifyOutcome Outcome, string? Expected, string? Actual, string? Reason);
