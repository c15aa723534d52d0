using Moddock.Sumdb.Tlog;

namespace Moddock.Sumdb.Client;

/// <summary>
/// Authenticates tiles a proxy relays from the database before they are cached and served: against the latest
/// tree the client accepted (refreshed when too small for the tile), through the client's verified tiles.
/// </summary>
internal sealed class RelayedTileVerifier(SumdbClient client)
{
    /// <summary>A hash tile: every hash it holds must equal the hash the verified tiles of the tree give.</summary>
    public async Task<bool> VerifyHashTileAsync(Tile tile, byte[] data, CancellationToken ct)
    {
        if (tile.L < 0 || tile.H != client.TileHeight || data.Length != tile.W * TlogHash.Size || await TreeHoldingAsync(tile, ct).ConfigureAwait(false) is not { } tree)
        {
            return false;
        }

        var level = tile.L * tile.H;
        var first = tile.N << tile.H;
        var hashes = await ReadHashesAsync(tree, [.. Enumerable.Range(0, tile.W).Select(i => TreeMath.StoredHashIndex(level, first + i))], ct).ConfigureAwait(false);
        return hashes is not null && Enumerable.Range(0, tile.W).All(i => hashes[i].Bytes.SequenceEqual(data.AsSpan(i * TlogHash.Size, TlogHash.Size)));
    }

    /// <summary>
    /// A data tile (sumdb server: the tile's W records, each as "id\ntext\n", ids counting up from N &lt;&lt; H):
    /// every record text must hash to the level-0 hash the verified tiles of the tree give.
    /// </summary>
    public async Task<bool> VerifyDataTileAsync(Tile tile, byte[] data, CancellationToken ct)
    {
        if (tile.L >= 0 || tile.H != client.TileHeight || await TreeHoldingAsync(tile, ct).ConfigureAwait(false) is not { } tree)
        {
            return false;
        }

        var first = tile.N << tile.H;
        var texts = new List<byte[]>(tile.W);
        var rest = data;
        for (var i = 0; i < tile.W; i++)
        {
            if (!TreeNotes.TryParseRecord(rest, out var id, out var text, out rest) || id != first + i)
            {
                return false;
            }

            texts.Add(text);
        }

        var hashes = await ReadHashesAsync(tree, [.. Enumerable.Range(0, tile.W).Select(i => TreeMath.StoredHashIndex(0, first + i))], ct).ConfigureAwait(false);
        return rest.Length == 0 && hashes is not null && Enumerable.Range(0, tile.W).All(i => hashes[i] == TlogHash.Record(texts[i]));
    }

    // The latest tree when it (refreshed if too small) contains the whole subtree behind the tile's last hash.
    private async Task<TlogTree?> TreeHoldingAsync(Tile tile, CancellationToken ct)
    {
        if (tile.RecordsNeeded is not { } needed)
        {
            return null;
        }

        await client.LatestNoteAsync(ct).ConfigureAwait(false);
        if (client.Latest.N < needed && await client.RefreshLatestAsync(ct).ConfigureAwait(false) is not null)
        {
            return null;
        }

        return client.Latest.N >= needed ? client.Latest : null;
    }

    private async Task<IReadOnlyList<TlogHash>?> ReadHashesAsync(TlogTree tree, long[] indexes, CancellationToken ct)
    {
        try
        {
            var memo = tree == client.Latest ? client.Authenticated : null;
            return await new TileHashReader(tree, client.TileReader, memo).ReadHashesAsync(indexes, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TlogException or SumdbUnavailableException)
        {
            return null;
        }
    }
}
