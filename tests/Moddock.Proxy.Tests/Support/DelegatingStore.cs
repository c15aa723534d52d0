using Moddock.Modules;
using Moddock.Proxy.Storage;

namespace Moddock.Proxy.Tests.Support;

/// <summary>
/// A store that passes everything to another one; tests override the one step they play a fault or a race in
/// (a read, or a staged artifact's commit).
/// </summary>
internal abstract class DelegatingStore(IModuleStore inner) : IModuleStore
{
    public virtual ValueTask<StoredArtifact?> TryGetAsync(StoreKey key, CancellationToken ct) => inner.TryGetAsync(key, ct);

    public ValueTask<StoredArtifact> SaveAsync(StoreKey key, ReadOnlyMemory<byte> content, CancellationToken ct) => inner.SaveAsync(key, content, ct);

    public async ValueTask<IStagedArtifact> StageAsync(StoreKey key, CancellationToken ct) => new Staged(await inner.StageAsync(key, ct), this);

    public ValueTask<IReadOnlyList<ModuleVersion>> ListVersionsAsync(ModulePath path, CancellationToken ct) => inner.ListVersionsAsync(path, ct);

    public ValueTask DiscardAsync(StoreKey key, CancellationToken ct) => inner.DiscardAsync(key, ct);

    public ValueTask<string?> CheckWritableAsync(CancellationToken ct) => inner.CheckWritableAsync(ct);

    /// <summary>Commits a staged artifact of this store; by default just that.</summary>
    protected virtual ValueTask<StoredArtifact> CommitAsync(IStagedArtifact staged, CancellationToken ct) => staged.CommitAsync(ct);

    private sealed class Staged(IStagedArtifact staged, DelegatingStore owner) : IStagedArtifact
    {
        public StoreKey Key => staged.Key;

        public string LocalPath => staged.LocalPath;

        public Stream Content => staged.Content;

        public long AvailableSpace => staged.AvailableSpace;

        public ValueTask<StoredArtifact> CommitAsync(CancellationToken ct) => owner.CommitAsync(staged, ct);

        public ValueTask DisposeAsync() => staged.DisposeAsync();
    }
}
