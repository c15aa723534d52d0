namespace Moddock.Proxy.Storage;

/// <summary>
/// For /readyz: why the disk store cannot record the digest of what it stores (<see cref="ContentDigest"/>), or null
/// while it can (or has not tried yet). Files stored meanwhile get only the format checks when read, so an operator
/// should know.
/// </summary>
public static class StoreDigests
{
    public static string? Problem => ContentDigest.Problem;
}
