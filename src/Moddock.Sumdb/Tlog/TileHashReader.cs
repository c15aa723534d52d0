namespace Moddock.Sumdb.Tlog;

/// <summary>
/// tlog.TileHashReader: reads stored hashes of a tree out of tiles, and authenticates every tile it uses:
/// the tiles covering the tree's complete subtrees must hash to the signed root, and every lower tile must
/// hash to the entry its parent tile holds. Only then are the tiles handed back for caching.
/// A tile that <paramref name="known"/> holds with the same bytes was authenticated before and is not checked
/// again; pass it only for a tree its owner accepted.
/// </summary>
internal sealed class TileHashReader(TlogTree tree, ITileReader reader, AuthenticatedTiles? known = null) : IHashReader
{

    public async ValueTask<IReadOnlyList<TlogHash>> ReadHashesAsync(IReadOnlyList<long> indexes, CancellationToken ct)
    {
        var h = reader.Height;
        var tileOrder = new Dictionary<Tile, int>();
        var tiles = new List<Tile>();

        // The tiles needed to recompute the tree hash come first.
        var stx = TreeMath.SubTreeIndex(0, tree.N, []);
        var stxTileOrder = new int[stx.Count];
        for (var i = 0; i < stx.Count; i++)
        {
            var tile = Tile.ForIndex(h, stx[i]).Tile.Parent(0, tree.N)!.Value;
            if (tileOrder.TryGetValue(tile, out var j))
            {
                stxTileOrder[i] = j;
                continue;
            }

            stxTileOrder[i] = tiles.Count;
            tileOrder[tile] = tiles.Count;
            tiles.Add(tile);
        }

        // Several complete subtrees share a tile, so fewer tiles than subtrees: the lower tiles start here.
        var lowerTiles = tiles.Count;

        // Then, for each wanted hash, its tile and the full tiles between it and an already-listed ancestor.
        var indexTileOrder = new int[indexes.Count];
        for (var i = 0; i < indexes.Count; i++)
        {
            var x = indexes[i];
            if (x >= TreeMath.StoredHashIndex(0, tree.N))
            {
                throw new TlogException("indexes not in tree");
            }

            var tile = Tile.ForIndex(h, x).Tile;
            var k = 0;
            for (; ; k++)
            {
                var p = tile.Parent(k, tree.N) ?? throw new TlogException("bad math in tileHashReader");
                if (tileOrder.TryGetValue(p, out var j))
                {
                    if (k == 0)
                    {
                        indexTileOrder[i] = j;
                    }

                    break;
                }
            }

            for (k--; k >= 0; k--)
            {
                var p = tile.Parent(k, tree.N)!.Value;
                if (!p.IsFull)
                {
                    throw new TlogException("bad math in tileHashReader");
                }

                tileOrder[p] = tiles.Count;
                if (k == 0)
                {
                    indexTileOrder[i] = tiles.Count;
                }

                tiles.Add(p);
            }
        }

        var data = await reader.ReadTilesAsync(tiles, ct).ConfigureAwait(false);
        if (data.Count != tiles.Count)
        {
            throw new TlogException("tile reader returned the wrong number of tiles");
        }

        for (var i = 0; i < tiles.Count; i++)
        {
            if (data[i].Length != tiles[i].W * TlogHash.Size)
            {
                throw new TlogException($"downloaded tile {tiles[i].Path} has length {data[i].Length}, want {tiles[i].W * TlogHash.Size}");
            }
        }

        if (!AllKnown(tiles, data, stxTileOrder))
        {
            var th = HashFrom(tiles[stxTileOrder[^1]], data[stxTileOrder[^1]], stx[^1]);
            for (var i = stx.Count - 2; i >= 0; i--)
            {
                th = TlogHash.Node(HashFrom(tiles[stxTileOrder[i]], data[stxTileOrder[i]], stx[i]), th);
            }

            if (th != tree.Hash)
            {
                throw new TlogException("downloaded inconsistent tile");
            }
        }

        // x/mod's tileHashReader starts this loop at len(stx), the number of subtrees rather than of their tiles,
        // so whenever subtrees share tiles it skips the first lower tiles, the record's own among them: a forged
        // record hash in a full tile was accepted (checked against Debian's x/mod 0.7.0 and go 1.19's vendored
        // copy). Every tile below the root's tiles is proved against its parent here.
        for (var i = lowerTiles; i < tiles.Count; i++)
        {
            var tile = tiles[i];
            if (known?.Has(tree, tile, data[i]) == true)
            {
                continue;
            }

            var p = tile.Parent(1, tree.N)!.Value;
            if (!tileOrder.TryGetValue(p, out var j))
            {
                throw new TlogException("bad math in tileHashReader: lost parent of " + tile.Path);
            }

            var ph = HashFrom(p, data[j], TreeMath.StoredHashIndex(p.L * p.H, tile.N));
            if (ph != Tile.SubtreeHash(data[i]))
            {
                throw new TlogException("downloaded inconsistent tile");
            }
        }

        known?.Add(tree, tiles, data);
        reader.SaveTiles(tiles, data);
        var hashes = new TlogHash[indexes.Count];
        for (var i = 0; i < indexes.Count; i++)
        {
            var j = indexTileOrder[i];
            hashes[i] = HashFrom(tiles[j], data[j], indexes[i]);
        }

        return hashes;
    }

    // The tiles holding the tree's complete subtrees, all authenticated before with these bytes: the root matched then.
    private bool AllKnown(List<Tile> tiles, IReadOnlyList<byte[]> data, int[] order)
    {
        if (known is null)
        {
            return false;
        }

        foreach (var i in order)
        {
            if (!known.Has(tree, tiles[i], data[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static TlogHash HashFrom(Tile t, byte[] data, long index) =>
        t.TryHashFromTile(data, index, out var h, out var err) ? h : throw new TlogException(err!);
}
