namespace Moddock.Sumdb;

/// <summary>What the checksum database said about a module version's hashes.</summary>
public enum VerifyOutcome
{
    Verified,
    Skipped,
    Mismatch,
    Unavailable,
    NotFound,
}
