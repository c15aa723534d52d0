namespace Moddock.Sumdb;

/// <summary>
/// The verdict for one module version. For <see cref="VerifyOutcome.Mismatch"/>, Expected is the database's
/// h1: and Actual the downloaded one; Reason is a text fit for a client error body.
/// </summary>
public sealed record VerifyResult(VerifyOutcome Outcome, string? Expected, string? Actual, string? Reason);
