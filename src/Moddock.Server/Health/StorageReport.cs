namespace Moddock.Server.Health;

/// <param name="FreeBytes">Free space for the server on the root's file system; null when it cannot be read. Added after
/// the other fields, which `moddock doctor` reads by name (ModdockStatus): add fields, never rename them.</param>
/// <param name="DigestProblem">Why stored files cannot carry their digest (no user extended attributes here), or null.</param>
internal sealed record StorageReport(string Path, bool Writable, string? Problem, long? FreeBytes, string? DigestProblem);
