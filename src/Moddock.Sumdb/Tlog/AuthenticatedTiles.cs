using System.Collections.Concurrent;

namespace Moddock.Sumdb.Tlog;

/// <summary>
/// Tiles that <see cref="TileHashReader"/> already authenticated against one tree, with their exact bytes.
/// Authenticating is a pure function of (tree, tile, bytes), so a tile presented again with the same bytes
/// needs no second check: without this memo every lookup re-hashed the same few hundred hashes (the tree's
/// partial tiles and the record's full tile) to prove what the previous lookup had just proved. Bytes that
/// differ from the remembered ones, and any other tree, get the full check.
/// </summary>
internal sealed class AuthenticatedTiles(TlogTree tree)
{
    // A tree needs its ~log(N) partial tiles plus one full tile per level for each record read; a proxy reads
    // records all over the log, so the cap bounds memory (8 KiB a tile), not the useful set.
    private const int MaxTiles = 4096;
    private readonly ConcurrentDictionary<Tile, byte[]> _tiles = new();

    public TlogTree Tree { get; } = tree;

    public bool Has(Tile tile, byte[] data) =>
        _tiles.TryGetValue(tile, out var known) && (ReferenceEquals(known, data) || known.AsSpan().SequenceEqual(data));

    public void Add(IReadOnlyList<Tile> tiles, IReadOnlyList<byte[]> data)
    {
        if (_tiles.Count > MaxTiles)
        {
            _tiles.Clear();
        }

        for (var i = 0; i < tiles.Count; i++)
        {
            _tiles[tiles[i]] = data[i];
        }
    }
}
