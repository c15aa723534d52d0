using System.Text;
using Moddock.Sumdb.Tests.Support;
using Moddock.Sumdb.Tlog;

namespace Moddock.Sumdb.Tests.Tlog;

public sealed class TileHashReaderTests
{
    private const int Height = 8;

    // 3001 records: eleven full level-0 tiles and a partial one, under a partial level-1 tile; the tree's complete
    // subtrees (2048, 512, 256, 128, 32, 16, 8, 1) live in two tiles, so the record's own tile comes third.
    private const int Records = 3001;

    private static readonly Lazy<Task<MemoryHashes>> Log = new(() =>
        MemoryHashes.BuildAsync(Enumerable.Range(0, Records).Select(i => Encoding.UTF8.GetBytes($"record {i}\n"))));

    [Fact]
    public async Task ReadHashes_HonestTiles_GivesTheStoredHashes()
    {
        var (log, tree) = await TreeAsync();
        var reader = new FakeTiles(log);
        var index = TreeMath.StoredHashIndex(0, 5);

        var hashes = await new TileHashReader(tree, reader).ReadHashesAsync([index], default);

        Assert.Equal(log.Hashes[(int)index], hashes[0]);
    }

    [Fact]
    public async Task ReadHashes_ForgedRecordInAFullLowerTile_Refused()
    {
        // The record's own full tile must be proved against its parent, not only the tiles of the tree's root.
        var (log, tree) = await TreeAsync();
        var reader = new FakeTiles(log) { Forge = (new Tile(Height, 0, 0, 1 << Height), 5) };

        var e = await Assert.ThrowsAsync<TlogException>(async () =>
            await new TileHashReader(tree, reader).ReadHashesAsync([TreeMath.StoredHashIndex(0, 5)], default));

        Assert.Contains("inconsistent tile", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadHashes_ForgedRecordInThePartialTile_Refused()
    {
        var (log, tree) = await TreeAsync();
        var partial = new Tile(Height, 0, Records >> Height, Records % (1 << Height));
        var reader = new FakeTiles(log) { Forge = (partial, 3) };

        await Assert.ThrowsAsync<TlogException>(async () =>
            await new TileHashReader(tree, reader).ReadHashesAsync([TreeMath.StoredHashIndex(0, (Records >> Height << Height) + 3)], default));
    }

    [Fact]
    public async Task ReadHashes_WithMemoOfTheSameTree_SameHashesForEveryRecord()
    {
        var (log, tree) = await TreeAsync();
        var memo = new AuthenticatedTiles();
        var reader = new FakeTiles(log);
        foreach (var record in new long[] { 0, 5, 255, 256, 1000, 2999, 3000, 7 })
        {
            var index = TreeMath.StoredHashIndex(0, record);
            var hashes = await new TileHashReader(tree, reader, memo).ReadHashesAsync([index], default);
            Assert.Equal(log.Hashes[(int)index], hashes[0]);
        }
    }

    [Fact]
    public async Task ReadHashes_MemoHasTheTileButTheBytesDiffer_Refused()
    {
        // A tile authenticated once and then served with other bytes (a lying mirror, a damaged cache) is checked in full.
        var (log, tree) = await TreeAsync();
        var memo = new AuthenticatedTiles();
        var index = TreeMath.StoredHashIndex(0, 5);
        await new TileHashReader(tree, new FakeTiles(log), memo).ReadHashesAsync([index], default);

        var forged = new FakeTiles(log) { Forge = (new Tile(Height, 0, 0, 1 << Height), 5) };

        await Assert.ThrowsAsync<TlogException>(async () => await new TileHashReader(tree, forged, memo).ReadHashesAsync([index], default));
    }

    [Fact]
    public async Task ReadHashes_PartialTileRememberedForAnotherTree_NotTrusted()
    {
        // A partial tile is proved for one tree only; its bytes remembered under another tree prove nothing here.
        var (log, tree) = await TreeAsync();
        var other = new TlogTree(tree.N, TlogHash.Record("another tree"u8));
        var memo = new AuthenticatedTiles();
        var partial = new Tile(Height, 0, Records >> Height, Records % (1 << Height));
        var index = TreeMath.StoredHashIndex(0, (Records >> Height << Height) + 3);
        var forged = new FakeTiles(log) { Forge = (partial, 3) };
        var tiles = forged.TilesFor(tree, index);
        memo.Add(other, tiles, tiles.Select(forged.Data).ToList());

        await Assert.ThrowsAsync<TlogException>(async () => await new TileHashReader(tree, forged, memo).ReadHashesAsync([index], default));
    }

    [Fact]
    public async Task ReadHashes_FullTileProvedUnderAnEarlierTree_KeptForTheGrownTreeWithTheLogsHashes()
    {
        // Accepted trees are consistent, so a full tile proved once holds in every later tree: the grown tree's
        // proof does not need it again, and its hashes are the log's.
        var log = await Log.Value;
        var smaller = new TlogTree(Records - 100, await TreeMath.TreeHashAsync(Records - 100, log, default));
        var (_, tree) = await TreeAsync();
        var memo = new AuthenticatedTiles();
        var index = TreeMath.StoredHashIndex(0, 5);
        await new TileHashReader(smaller, new FakeTiles(log), memo).ReadHashesAsync([index], default);
        var counting = new FakeTiles(log);

        var hashes = await new TileHashReader(tree, counting, memo).ReadHashesAsync([index], default);

        Assert.Equal(log.Hashes[(int)index], hashes[0]);
        Assert.True(memo.Has(tree, new Tile(Height, 0, 0, 1 << Height), counting.Data(new Tile(Height, 0, 0, 1 << Height))));
    }

    private static async Task<(MemoryHashes Log, TlogTree Tree)> TreeAsync()
    {
        var log = await Log.Value;
        return (log, new TlogTree(Records, await TreeMath.TreeHashAsync(Records, log, default)));
    }

    // Serves the log's tiles; Forge replaces one hash in one tile with the hash of a record the log never had.
    private sealed class FakeTiles(MemoryHashes log) : ITileReader
    {
        private readonly Dictionary<Tile, byte[]> _tiles = [];

        public (Tile Tile, int Slot)? Forge { get; init; }

        public int Height => TileHashReaderTests.Height;

        public ValueTask<IReadOnlyList<byte[]>> ReadTilesAsync(IReadOnlyList<Tile> tiles, CancellationToken ct) =>
            ValueTask.FromResult<IReadOnlyList<byte[]>>(tiles.Select(Data).ToList());

        public void SaveTiles(IReadOnlyList<Tile> tiles, IReadOnlyList<byte[]> data)
        {
        }

        public byte[] Data(Tile t)
        {
            if (!_tiles.TryGetValue(t, out var data))
            {
                data = TileData.ReadAsync(t, log, default).AsTask().GetAwaiter().GetResult();
                if (Forge is { } f && f.Tile == t)
                {
                    TlogHash.Record("forged record\n"u8).Bytes.CopyTo(data.AsSpan(f.Slot * TlogHash.Size));
                }

                _tiles[t] = data;
            }

            return data;
        }

        // The tiles a read of one index uses, found by recording what the reader asks for.
        public List<Tile> TilesFor(TlogTree tree, long index)
        {
            var recorder = new Recorder(this);
            try
            {
                new TileHashReader(tree, recorder).ReadHashesAsync([index], default).AsTask().GetAwaiter().GetResult();
            }
            catch (TlogException)
            {
            }

            return recorder.Asked;
        }

        private sealed class Recorder(FakeTiles inner) : ITileReader
        {
            public List<Tile> Asked { get; } = [];

            public int Height => inner.Height;

            public ValueTask<IReadOnlyList<byte[]>> ReadTilesAsync(IReadOnlyList<Tile> tiles, CancellationToken ct)
            {
                Asked.AddRange(tiles);
                return inner.ReadTilesAsync(tiles, ct);
            }

            public void SaveTiles(IReadOnlyList<Tile> tiles, IReadOnlyList<byte[]> data)
            {
            }
        }
    }
}
