using Moddock.Modules;

namespace Moddock.Proxy.Storage;

/// <summary>
/// Where fetched, verified artifacts live. Rules every store keeps (see the conformance tests):
/// writes are atomic (an artifact is absent or complete, never partial); .info/.mod/.zip are immutable
/// (first write wins); list/@latest are replaced whole; nothing outside the store's own space is touched.
/// </summary>
public interface IModuleStore
{
    /// <summary>The complete stored artifact, or null.</summary>
    ValueTask<StoredArtifact?> TryGetAsync(StoreKey key, CancellationToken ct);

    /// <summary>Stores a small artifact atomically and returns what is stored (the earlier copy for an immutable key).</summary>
    ValueTask<StoredArtifact> SaveAsync(StoreKey key, ReadOnlyMemory<byte> content, CancellationToken ct);

    /// <summary>Starts writing a large artifact (a zip) that becomes visible only on commit.</summary>
    ValueTask<IStagedArtifact> StageAsync(StoreKey key, CancellationToken ct);

    /// <summary>Canonical versions of the module with a stored .info or .mod, in no particular order.</summary>
    ValueTask<IReadOnlyList<ModuleVersion>> ListVersionsAsync(ModulePath path, CancellationToken ct);

    /// <summary>
    /// Removes a stored artifact that was found damaged (see Resolution's StoredArtifactCheck), so that it is fetched
    /// and stored again; the first-write-wins rule of immutable keys would otherwise keep the damaged copy forever.
    /// Readers that already opened it keep their copy. Best effort: a copy that cannot be removed stays.
    /// </summary>
    ValueTask DiscardAsync(StoreKey key, CancellationToken ct);

    /// <summary>Null when the store can be written now, else why not (for /readyz).</summary>
    ValueTask<string?> CheckWritableAsync(CancellationToken ct);
}
