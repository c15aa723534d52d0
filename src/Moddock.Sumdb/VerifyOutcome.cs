namespace Moddock.Sumdb;

/// <summary>What the checksum database said about a downloaded module version (see docs/CONTRACTS.md).</summary>
public enum VerifyOutcome { Verified, Skipped, Mismatch, Unavailable, NotFound }
