using System.Text;
using Moddock.Sumdb.Tests.Support;
using Moddock.Sumdb.Tlog;

namespace Moddock.Sumdb.Tests.Tlog;

public sealed class TreeMathTests
{
    private static readonly SumOracle Go = SumOracle.Instance;

    private static List<byte[]> Records(int n) => Enumerable.Range(0, n).Select(i => Encoding.UTF8.GetBytes($"leaf {i}")).ToList();

    [Fact]
    public void Record_HelloWorld_MatchesGo()
    {
        var data = "hello world"u8.ToArray();
        Assert.Equal(Go.Ok("recordhash", Convert.ToBase64String(data))[0], TlogHash.Record(data).ToString());
    }

    [Fact]
    public async Task StoredHashesAndTreeHash_Sizes0To70_MatchGo()
    {
        for (var n = 0; n <= 70; n++)
        {
            var recs = Records(n);
            var ours = await MemoryHashes.BuildAsync(recs);
            var enc = SumOracle.Records(recs);
            var stored = Go.Ok("storedhashes", enc)[0];
            Assert.Equal(stored, ours.Hashes.Count == 0 ? "-" : string.Join(',', ours.Hashes));
            Assert.Equal(TreeMath.StoredHashCount(n), ours.Hashes.Count);
            var tree = Go.Ok("treehash", enc);
            Assert.Equal(tree[1], (await TreeMath.TreeHashAsync(n, ours, default)).ToString());
        }
    }

    [Fact]
    public async Task ProveRecordAndProveTree_AllPairsUpTo24_MatchGoAndCheck()
    {
        var recs = Records(24);
        var ours = await MemoryHashes.BuildAsync(recs);
        var enc = SumOracle.Records(recs);
        for (long t = 1; t <= 24; t++)
        {
            var th = await TreeMath.TreeHashAsync(t, ours, default);
            for (long n = 0; n < t; n++)
            {
                var p = await TreeMath.ProveRecordAsync(t, n, ours, default);
                Assert.Equal(Go.Ok("proverecord", enc, t.ToString(), n.ToString())[0], p.Count == 0 ? "-" : string.Join(',', p));
                Assert.True(TreeMath.CheckRecord(p, t, th, n, TlogHash.Record(recs[(int)n])));
                Assert.False(TreeMath.CheckRecord(p, t, th, n, TlogHash.Record("other"u8)));
            }

            for (long n = 1; n <= t; n++)
            {
                var p = await TreeMath.ProveTreeAsync(t, n, ours, default);
                Assert.Equal(Go.Ok("provetree", enc, t.ToString(), n.ToString())[0], p.Count == 0 ? "-" : string.Join(',', p));
                var h = await TreeMath.TreeHashAsync(n, ours, default);
                Assert.True(TreeMath.CheckTree(p, t, th, n, h));
                if (n < t)
                {
                    Assert.False(TreeMath.CheckTree(p, t, th, n, TlogHash.Record("forged"u8)));
                }
            }
        }
    }

    [Fact]
    public void SplitStoredHashIndex_First2000_MatchesGoAndRoundTrips()
    {
        for (long i = 0; i < 2000; i += 7)
        {
            var (l, n) = TreeMath.SplitStoredHashIndex(i);
            var go = Go.Ok("splitindex", i.ToString());
            Assert.Equal([go[0], go[1]], [l.ToString(), n.ToString()]);
            Assert.Equal(i, TreeMath.StoredHashIndex(l, n));
        }
    }
}
