namespace Moddock.Proxy.Storage;

/// <summary>A complete artifact in a store.</summary>
/// <param name="FilePath">A local file holding exactly the artifact (sendfile-able), when the store has one.</param>
/// <param name="SavedAt">When it was stored, on the store's clock (drives list/@latest freshness).</param>
public sealed record StoredArtifact(StoreKey Key, string? FilePath, long Length, DateTimeOffset SavedAt, Func<CancellationToken, Stream> Open);
