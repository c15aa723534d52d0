namespace Moddock.Proxy.Storage;

/// <summary>
/// A large artifact being written. Nothing of it is visible through the store until <see cref="CommitAsync"/>;
/// disposing without committing discards it.
/// </summary>
public interface IStagedArtifact : IAsyncDisposable
{
    StoreKey Key { get; }

    /// <summary>The local temp file being written (checks such as CheckZip read it before commit).</summary>
    string LocalPath { get; }

    /// <summary>Writable, seekable; concurrent readers may open <see cref="LocalPath"/> with FileShare.ReadWrite.</summary>
    Stream Content { get; }

    /// <summary>
    /// How many more bytes the store can take now, as far as it can tell (<see cref="long.MaxValue"/> when it cannot):
    /// a download whose announced length does not fit is refused before its first byte is promised to a client.
    /// </summary>
    long AvailableSpace { get; }

    /// <summary>
    /// Makes the artifact visible atomically. For an immutable key already stored, the first copy wins: the result
    /// describes that copy (with <see cref="StoredArtifact.AlreadyStored"/> set when its bytes differ from the staged
    /// ones), and the staged temp file is gone.
    /// </summary>
    ValueTask<StoredArtifact> CommitAsync(CancellationToken ct);
}
