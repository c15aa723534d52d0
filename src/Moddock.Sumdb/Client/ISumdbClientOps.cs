namespace Moddock.Sumdb.Client;

/// <summary>
/// All I/O of <see cref="SumdbClient"/> (the role of x/mod's ClientOps): one remote read, the persisted
/// latest tree note ("config"), the tile/lookup cache, and where security errors go.
/// Paths are relative: remote "/lookup/M@V", "/tile/8/0/001"; cache "NAME/lookup/M@V", "NAME/tile/...".
/// </summary>
internal interface ISumdbClientOps
{
    Task<RemoteResult> ReadRemoteAsync(string path, CancellationToken ct);

    /// <summary>The persisted latest signed tree note for the database, or empty when none yet.</summary>
    Task<byte[]> ReadLatestAsync(string name, CancellationToken ct);

    /// <summary>Replaces the latest note when it still equals <paramref name="old"/>; false on a write conflict.</summary>
    Task<bool> WriteLatestAsync(string name, byte[] old, byte[] updated, CancellationToken ct);

    Task<byte[]?> ReadCacheAsync(string file, CancellationToken ct);

    Task WriteCacheAsync(string file, byte[] data, CancellationToken ct);

    /// <summary>Server misbehaviour (fork, rollback) with the proof; must be logged loudly.</summary>
    void SecurityError(string message);
}
