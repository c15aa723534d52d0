namespace Moddock.Sumdb.Client;

/// <summary>The outcome of one read from the checksum database (expected failures are values).</summary>
internal sealed record RemoteResult(byte[]? Data, RemoteFailure Failure, string? Reason)
{
    public bool Ok => Failure == RemoteFailure.None && Data is not null;

    public static RemoteResult Success(byte[] data) => new(data, RemoteFailure.None, null);

    public static RemoteResult Fail(RemoteFailure failure, string reason) => new(null, failure, reason);
}
