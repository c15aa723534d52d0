namespace Moddock.Sumdb;

/// <summary>An answer to a /sumdb/{name}/... request; only Moddock.Server turns it into HTTP.</summary>
public sealed record SumdbResponse(int Status, string ContentType, byte[] Body, bool FromCache);
