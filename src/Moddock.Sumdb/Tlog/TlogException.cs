namespace Moddock.Sumdb.Tlog;

/// <summary>A tile or proof failed to authenticate; the client turns it into a failed lookup value.</summary>
internal sealed class TlogException(string message) : Exception(message);
