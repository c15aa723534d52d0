namespace Moddock.Proxy.Verification;

/// <summary>Why fetched content is not stored: Refused (bad content) or UpstreamFailed (could not check it now).</summary>
internal sealed record VerificationFailure(ResolveOutcome Outcome, string Reason)
{
    public static VerificationFailure Refused(string reason) => new(ResolveOutcome.Refused, reason);
}
