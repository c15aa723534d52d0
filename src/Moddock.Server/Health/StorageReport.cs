namespace Moddock.Server.Health;

internal sealed record StorageReport(string Path, bool Writable, string? Problem);
