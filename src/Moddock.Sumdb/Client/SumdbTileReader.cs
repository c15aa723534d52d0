using System.Collections.Concurrent;
using Moddock.Sumdb.Tlog;

namespace Moddock.Sumdb.Client;

/// <summary>
/// Reads tiles for <see cref="TileHashReader"/> like x/mod's client: cache (exact, then the full tile cut to
/// width), then the network (the partial tile first, then the full tile cut to width). Tiles are written to
/// the cache only after they authenticated; verified tiles are also kept in memory (bounded).
/// </summary>
internal sealed class SumdbTileReader(string name, int height, ISumdbClientOps ops) : ITileReader
{
    private const int MaxMemoryTiles = 4096;
    private readonly ConcurrentDictionary<Tile, byte[]> _verified = new();

    // Reads in progress, one per tile: concurrent lookups usually need the same tiles (the partial tiles of a new
    // tree, the upper levels), and x/mod's client shares those reads too (its tile cache is a par.Cache).
    private readonly ConcurrentDictionary<Tile, Task<byte[]>> _reading = new();

    public int Height => height;

    public async ValueTask<IReadOnlyList<byte[]>> ReadTilesAsync(IReadOnlyList<Tile> tiles, CancellationToken ct) =>
        await Task.WhenAll(tiles.Select(t => ReadTileAsync(t, ct))).ConfigureAwait(false);

    public void SaveTiles(IReadOnlyList<Tile> tiles, IReadOnlyList<byte[]> data)
    {
        if (_verified.Count > MaxMemoryTiles)
        {
            _verified.Clear();
        }

        for (var i = 0; i < tiles.Count; i++)
        {
            if (_verified.TryAdd(tiles[i], data[i]))
            {
                // Cache writes are best effort; a failed write only costs a refetch.
                _ = ops.WriteCacheAsync(CacheKey(tiles[i]), data[i], CancellationToken.None);
            }
        }
    }

    public string CacheKey(Tile t) => name + "/" + t.Path;

    private async Task<byte[]> ReadTileAsync(Tile tile, CancellationToken ct)
    {
        if (_verified.TryGetValue(tile, out var mem))
        {
            return mem;
        }

        if (!tile.IsFull && _verified.TryGetValue(tile.Full, out var memFull))
        {
            return Cut(memFull, tile);
        }

        var mine = new TaskCompletionSource<byte[]>();
        var shared = _reading.GetOrAdd(tile, mine.Task);
        if (shared == mine.Task)
        {
            _ = ReadForEveryoneAsync(tile, mine);
        }

        return await shared.WaitAsync(ct).ConfigureAwait(false);
    }

    // Without any caller's token: one waiter giving up must not fail the others (the remote read has its own limit).
    private async Task ReadForEveryoneAsync(Tile tile, TaskCompletionSource<byte[]> reading)
    {
        try
        {
            reading.SetResult(await FetchTileAsync(tile, CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            reading.SetException(e);
        }
        finally
        {
            _reading.TryRemove(new KeyValuePair<Tile, Task<byte[]>>(tile, reading.Task));
        }
    }

    // The tile's bytes, not yet authenticated: the disk cache, else the network.
    private async Task<byte[]> FetchTileAsync(Tile tile, CancellationToken ct)
    {
        var full = tile.Full;

        // A cached tile of the wrong length was cut short on disk (written without fsync): read it again.
        if (await ops.ReadCacheAsync(CacheKey(tile), ct).ConfigureAwait(false) is { } cached && cached.Length == tile.W * TlogHash.Size)
        {
            return cached;
        }

        if (!tile.IsFull && await ops.ReadCacheAsync(CacheKey(full), ct).ConfigureAwait(false) is { } cachedFull && cachedFull.Length == full.W * TlogHash.Size)
        {
            return Cut(cachedFull, tile);
        }

        var remote = await ops.ReadRemoteAsync("/" + tile.Path, ct).ConfigureAwait(false);
        if (remote.Ok)
        {
            return remote.Data!;
        }

        // Like x/mod's client, a partial tile the database no longer has is read from the full tile that
        // replaced it; after a timeout or refused connection that would only make the caller wait twice.
        if (!tile.IsFull && remote.Failure == RemoteFailure.NotFound)
        {
            var remoteFull = await ops.ReadRemoteAsync("/" + full.Path, ct).ConfigureAwait(false);
            if (remoteFull.Ok)
            {
                return Cut(remoteFull.Data!, tile);
            }
        }

        throw new SumdbUnavailableException($"reading {tile.Path}: {remote.Reason}");
    }

    // Go: data[:len(data)/full.W*tile.W]; a short full tile then fails the length check later.
    private static byte[] Cut(byte[] fullData, Tile tile)
    {
        var n = fullData.Length / (1 << tile.H) * tile.W;
        return fullData.AsSpan(0, Math.Min(n, fullData.Length)).ToArray();
    }
}
