namespace Moddock.Sumdb.Tlog;

/// <summary>Serving side of tiles (tlog.ReadTileData): the concatenated stored hashes a tile holds.</summary>
internal static class TileData
{
    public static async ValueTask<byte[]> ReadAsync(Tile t, IHashReader r, CancellationToken ct)
    {
        var start = t.N << t.H;
        var indexes = new long[t.W];
        for (var i = 0; i < t.W; i++)
        {
            indexes[i] = TreeMath.StoredHashIndex(t.H * t.L, start + i);
        }

        var hashes = await r.ReadHashesAsync(indexes, ct).ConfigureAwait(false);
        var tile = new byte[t.W * TlogHash.Size];
        for (var i = 0; i < t.W; i++)
        {
            hashes[i].Bytes.CopyTo(tile.AsSpan(i * TlogHash.Size));
        }

        return tile;
    }
}
