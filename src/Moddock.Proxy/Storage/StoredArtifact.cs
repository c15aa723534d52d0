namespace Moddock.Proxy.Storage;

/// <summary>A complete artifact in a store.</summary>
/// <param name="FilePath">A local file holding exactly the artifact (sendfile-able), when the store has one.</param>
/// <param name="SavedAt">When it was stored, on the store's clock (drives list/@latest freshness).</param>
public sealed record StoredArtifact(StoreKey Key, string? FilePath, long Length, DateTimeOffset SavedAt, Func<CancellationToken, Stream> Open)
{
    /// <summary>
    /// True when a commit (or save) of an immutable key found a copy with other bytes already stored, e.g. by another
    /// process sharing the storage root, and kept it: this describes that earlier copy, and what was staged is discarded.
    /// (A copy with the same bytes is reported as stored by this commit: readers may use the stored file.)
    /// Its bytes (and length) may differ from the staged ones: a zip from a mirror and one built from version
    /// control have the same h1 but need not be byte-identical.
    /// </summary>
    public bool AlreadyStored { get; init; }
}
