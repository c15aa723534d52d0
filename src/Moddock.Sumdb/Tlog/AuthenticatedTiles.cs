using System.Collections.Concurrent;

namespace Moddock.Sumdb.Tlog;

/// <summary>
/// Tiles that <see cref="TileHashReader"/> already authenticated, with their exact bytes, so a lookup's proof does
/// not prove them again: without this every lookup re-hashed a few hundred hashes (the tree's partial tiles and
/// the record's full tile) that the previous lookup had just proved. Authenticating is a pure function of (tree,
/// tile, bytes). A partial tile is remembered for one tree; a full tile for every tree the owner accepted, since
/// accepted trees are proved consistent with each other and a full tile's subtree is the same in all of them.
/// Only the owner's accepted trees may be asked about (never a candidate still being checked for a fork), and
/// bytes that differ from the remembered ones get the full check.
/// </summary>
internal sealed class AuthenticatedTiles
{
    // 8 KiB a tile at height 8: the caps bound memory; a proxy reads records all over the log, and the tiles
    // worth keeping (the tree's own, and the upper levels') are the ones read again soonest.
    private const int MaxFullTiles = 1024;
    private const int MaxTreeTiles = 64;
    private readonly ConcurrentDictionary<Tile, byte[]> _full = new();
    private volatile TreeTiles _tree = new(default, new ConcurrentDictionary<Tile, byte[]>());

    public bool Has(TlogTree tree, Tile tile, byte[] data)
    {
        var known = tile.IsFull ? _full : TilesOf(tree, create: false);
        return known is not null && known.TryGetValue(tile, out var bytes) && (ReferenceEquals(bytes, data) || bytes.AsSpan().SequenceEqual(data));
    }

    public void Add(TlogTree tree, IReadOnlyList<Tile> tiles, IReadOnlyList<byte[]> data)
    {
        var partial = TilesOf(tree, create: true)!;
        for (var i = 0; i < tiles.Count; i++)
        {
            var map = tiles[i].IsFull ? _full : partial;
            if (map.Count >= (tiles[i].IsFull ? MaxFullTiles : MaxTreeTiles))
            {
                map.Clear();
            }

            map[tiles[i]] = data[i];
        }
    }

    private ConcurrentDictionary<Tile, byte[]>? TilesOf(TlogTree tree, bool create)
    {
        var current = _tree;
        if (current.Tree == tree)
        {
            return current.Tiles;
        }

        if (!create)
        {
            return null;
        }

        // A newer accepted tree: its partial tiles start afresh (racing lookups may each install one; a lost memo
        // is only a lost optimisation).
        var next = new TreeTiles(tree, new ConcurrentDictionary<Tile, byte[]>());
        _tree = next;
        return next.Tiles;
    }

    private sealed record TreeTiles(TlogTree Tree, ConcurrentDictionary<Tile, byte[]> Tiles);
}
