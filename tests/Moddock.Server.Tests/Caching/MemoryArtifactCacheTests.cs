using Moddock.Server.Caching;

namespace Moddock.Server.Tests.Caching;

public sealed class MemoryArtifactCacheTests
{
    private static CachedArtifact Entry(int size, byte fill = 1) =>
        new(Enumerable.Repeat(fill, size).ToArray(), "application/zip", DateTimeOffset.UnixEpoch, "example.com/m", "v1.0.0", "Zip");

    private static long Cost(string key, int size) => size + (2L * key.Length) + MemoryArtifactCache.EntryOverhead;

    [Fact]
    public void TryAdd_WithinBudget_KeepsEveryEntryAndCountsItsBytes()
    {
        var cache = new MemoryArtifactCache(64 * 1024);

        Assert.True(cache.TryAdd("/a", Entry(1000)));
        Assert.True(cache.TryAdd("/b", Entry(2000)));

        Assert.Equal(2, cache.Count);
        Assert.Equal(Cost("/a", 1000) + Cost("/b", 2000), cache.UsedBytes);
        Assert.True(cache.TryGet("/a", out var a));
        Assert.Equal(1000, a.Body.Length);
    }

    [Fact]
    public void TryAdd_OverBudget_EvictsOldestUnusedUntilItFits()
    {
        // 16 KiB budget: entries up to 1 KiB; twelve of ~1.3 KiB cost fit, each later one evicts the oldest.
        var cache = new MemoryArtifactCache(16 * 1024);
        var keys = Enumerable.Range(0, 30).Select(i => $"/m/@v/v1.0.{i:00}.zip").ToArray();

        foreach (var k in keys)
        {
            Assert.True(cache.TryAdd(k, Entry(1024)));
            Assert.True(cache.UsedBytes <= cache.BudgetBytes);
        }

        var fits = (int)(cache.BudgetBytes / Cost(keys[0], 1024));
        Assert.Equal(fits, cache.Count);
        Assert.All(keys[..^fits], k => Assert.False(cache.TryGet(k, out _)));
        Assert.All(keys[^fits..], k => Assert.True(cache.TryGet(k, out _)));
    }

    [Fact]
    public void TryAdd_OverBudget_SparesEntriesReadSinceTheHandPassed()
    {
        var cache = new MemoryArtifactCache(16 * 1024);
        var fits = (int)(cache.BudgetBytes / Cost("/k00", 1024));
        for (var i = 0; i < fits; i++)
        {
            Assert.True(cache.TryAdd($"/k{i:00}", Entry(1024)));
        }

        Assert.True(cache.TryGet("/k00", out _));
        Assert.True(cache.TryAdd("/new", Entry(1024)));

        Assert.True(cache.TryGet("/k00", out _));
        Assert.False(cache.TryGet("/k01", out _));
        Assert.True(cache.TryGet("/new", out _));
    }

    [Fact]
    public void TryAdd_LargerThanOneSixteenthOfBudget_IsNotAdmitted()
    {
        var cache = new MemoryArtifactCache(16 * 1024);

        Assert.False(cache.Admits(1025));
        Assert.False(cache.TryAdd("/big", Entry(1025)));
        Assert.True(cache.TryAdd("/small", Entry(1024)));
        Assert.False(cache.TryGet("/big", out _));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void TryAdd_ZeroBudget_CachesNothing()
    {
        var cache = new MemoryArtifactCache(0);

        Assert.False(cache.TryAdd("/a", Entry(1)));
        Assert.False(cache.TryGet("/a", out _));
        Assert.Equal(0, cache.UsedBytes);
    }

    [Fact]
    public void TryAdd_SameKeyTwice_KeepsTheFirstAndCountsOnce()
    {
        var cache = new MemoryArtifactCache(64 * 1024);

        Assert.True(cache.TryAdd("/a", Entry(100, fill: 1)));
        Assert.False(cache.TryAdd("/a", Entry(100, fill: 2)));

        Assert.True(cache.TryGet("/a", out var a));
        Assert.Equal(1, a.Body[0]);
        Assert.Equal(Cost("/a", 100), cache.UsedBytes);
    }

    [Fact]
    public async Task TryAdd_ConcurrentWritersAndReaders_NeverExceedBudget()
    {
        var cache = new MemoryArtifactCache(64 * 1024);
        var tasks = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                var key = $"/t{t}/{i % 300}";
                if (!cache.TryGet(key, out var hit))
                {
                    cache.TryAdd(key, Entry(512 + (i % 7 * 100), fill: (byte)(i % 300)));
                }
                else
                {
                    Assert.Equal((byte)(i % 300), hit.Body[0]);
                }

                Assert.True(cache.UsedBytes <= cache.BudgetBytes);
            }
        }));

        await Task.WhenAll(tasks);

        Assert.InRange(cache.UsedBytes, 1, cache.BudgetBytes);
    }
}
