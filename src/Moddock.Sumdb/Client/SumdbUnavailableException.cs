namespace Moddock.Sumdb.Client;

/// <summary>A tile could not be read from the database; caught inside the client and turned into an Unavailable value.</summary>
internal sealed class SumdbUnavailableException(string message) : Exception(message);
