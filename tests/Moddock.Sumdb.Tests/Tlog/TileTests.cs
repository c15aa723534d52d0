using System.Text;
using Moddock.Sumdb.Tests.Support;
using Moddock.Sumdb.Tlog;

namespace Moddock.Sumdb.Tests.Tlog;

public sealed class TileTests
{
    private static readonly SumOracle Go = SumOracle.Instance;

    [Fact]
    public void TryParseAndPath_GoTilePathTable_Agree()
    {
        var rows = GoTestData.TilePaths().ToList();
        Assert.True(rows.Count >= 8, "tlog_test.go tilePaths table not found");
        foreach (var (path, valid, h, l, n, w) in rows)
        {
            Assert.Equal(valid, Tile.TryParse(path, out var t));
            if (valid)
            {
                Assert.Equal(new Tile(h, l, n, w), t);
                Assert.Equal(path, t.Path);
            }
        }
    }

    [Theory]
    [InlineData("tile/8/0/001")]
    [InlineData("tile/8/0/001.p/5")]
    [InlineData("tile/8/data/x001/x234/067")]
    [InlineData("tile/8/0/../../../../etc/passwd")]
    [InlineData("tile/8/0/001.p/256")]
    [InlineData("tile/8/0/001.p/0")]
    [InlineData("tile/31/0/001")]
    [InlineData("tile/8/0/1")]
    [InlineData("tile/8/0/x000/001")]
    [InlineData("tile/08/0/001")]
    [InlineData("tile/8/-1/001")]
    [InlineData("tile/8/0/001/")]
    [InlineData("tile/8/0//001")]
    [InlineData("tile/8/0/x1000/001")]
    [InlineData("tile/8/0/-01")]
    [InlineData("tile/+8/0/001")]
    public void TryParse_Paths_AgreeWithGo(string path)
    {
        var go = Go.Ask("parsetile", path);
        var ok = Tile.TryParse(path, out var t);
        Assert.Equal(go[0] == "ok", ok);
        if (ok)
        {
            Assert.Equal(string.Join(" ", go[1..]), $"{t.H} {t.L} {t.N} {t.W}");
        }
    }

    [Theory]
    [InlineData("tile/8/0/000.p/5", 5L)]
    [InlineData("tile/8/0/001", 512L)]
    [InlineData("tile/8/1/001.p/2", 258L * 256)]
    [InlineData("tile/8/data/002.p/3", 515L)]
    [InlineData("tile/8/0/x072/x057/x594/x037/x927/936.p/1", null)] // 2^56 << 8 overflows
    [InlineData("tile/8/7/000.p/1", 1L << 56)]
    [InlineData("tile/8/7/000.p/128", null)] // 128 << 56 = 2^63 overflows
    [InlineData("tile/8/63/000", null)]
    public void RecordsNeeded_Tiles_SizeOfTheSmallestTreeHoldingTheTileOrNullOnOverflow(string path, long? expected)
    {
        Assert.True(Tile.TryParse(path, out var t));

        Assert.Equal(expected, t.RecordsNeeded);
    }

    [Fact]
    public void ForIndex_Heights1To8_MatchGo()
    {
        foreach (var h in new[] { 1, 2, 3, 8 })
        {
            for (long i = 0; i < 3000; i += 13)
            {
                Assert.Equal(Go.Ok("tileforindex", h.ToString(), i.ToString())[0], Tile.ForIndex(h, i).Tile.Path);
            }
        }
    }

    [Fact]
    public async Task NewTilesAndTileData_GrowingLog_MatchGo()
    {
        var recs = Enumerable.Range(0, 300).Select(i => Encoding.UTF8.GetBytes($"rec {i}\n")).ToList();
        foreach (var (h, old, size) in new[] { (2, 0, 5), (2, 5, 37), (3, 10, 100), (8, 0, 300), (8, 255, 257) })
        {
            var ours = Tile.NewTiles(h, old, size).Select(t => t.Path).ToList();
            Assert.Equal(Go.Ok("newtiles", h.ToString(), old.ToString(), size.ToString())[0], string.Join(',', ours));

            var sub = recs.Take(size).ToList();
            var hashes = await MemoryHashes.BuildAsync(sub);
            var enc = SumOracle.Records(sub);
            foreach (var t in Tile.NewTiles(h, old, size).Where(t => t.L >= 0).Take(12))
            {
                var data = await TileData.ReadAsync(t, hashes, default);
                Assert.Equal(Go.Ok("tiledata", enc, t.Path)[0], Convert.ToBase64String(data));
            }
        }
    }
}
