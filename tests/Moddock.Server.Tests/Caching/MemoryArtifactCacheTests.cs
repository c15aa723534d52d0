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
        Assert.Equal(1000, a.Length);
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
        Assert.Equal(1, a.Body![0]);
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
                    Assert.Equal((byte)(i % 300), hit.Body![0]);
                }

                Assert.True(cache.UsedBytes <= cache.BudgetBytes);
            }
        }));

        await Task.WhenAll(tasks);

        Assert.InRange(cache.UsedBytes, 1, cache.BudgetBytes);
    }

    private static CachedArtifact FileEntry(string dir, string name, int size)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, new byte[size]);
        return CachedArtifact.OpenFile(path, size, "application/zip", null, "example.com/m", "v1.0.0", "Zip");
    }

    [Fact]
    public void TryAdd_FileEntries_CostNoBodyBytesAndAreCappedByCount()
    {
        var dir = Moddock.Testing.TestEnvironment.NewTempDir("cache-files");
        var cache = new MemoryArtifactCache(64 * 1024, maxFileEntries: 3);
        var entries = Enumerable.Range(0, 5).Select(i => FileEntry(dir, $"z{i}", 1 << 20)).ToArray();

        for (var i = 0; i < entries.Length; i++)
        {
            Assert.True(cache.TryAdd($"/z{i}", entries[i])); // 1 MiB each, far over the 4 KiB entry limit for bytes
        }

        Assert.Equal(3, cache.FileCount);
        Assert.Equal(3, cache.Count);
        Assert.True(cache.UsedBytes < 64 * 1024);
        Assert.True(entries[0].File!.SafeFileHandle.IsClosed); // the two oldest were evicted and closed
        Assert.True(entries[1].File!.SafeFileHandle.IsClosed);
        Assert.False(entries[4].File!.SafeFileHandle.IsClosed);
    }

    [Fact]
    public void Dispose_FileEntryStillLeased_HandleStaysOpenUntilTheLastRelease()
    {
        var dir = Moddock.Testing.TestEnvironment.NewTempDir("cache-lease");
        var entry = FileEntry(dir, "z", 4096);

        Assert.True(entry.TryAcquire());
        Assert.True(entry.TryAcquire());
        entry.Dispose(); // evicted while two responses are still sending from it
        entry.Dispose(); // eviction is idempotent

        Assert.False(entry.File!.SafeFileHandle.IsClosed);
        Assert.Equal(4096, RandomAccess.Read(entry.File.SafeFileHandle, new byte[8192], 0));
        entry.Release();
        Assert.False(entry.File.SafeFileHandle.IsClosed);
        entry.Release();
        Assert.True(entry.File.SafeFileHandle.IsClosed);
        Assert.False(entry.TryAcquire()); // a late reader falls back to the store instead
    }

    [Fact]
    public void OpenFile_LengthDiffersFromTheStore_Refused()
    {
        var dir = Moddock.Testing.TestEnvironment.NewTempDir("cache-length");
        File.WriteAllBytes(Path.Combine(dir, "z"), new byte[10]);

        Assert.Throws<IOException>(() => CachedArtifact.OpenFile(Path.Combine(dir, "z"), 11, "application/zip", null, "m", "v1.0.0", "Zip"));
    }

    [Fact]
    public void TryRemove_DamagedFileEntry_FreesItsSlotAndLeavesALaterEntryForTheKeyAlone()
    {
        var dir = Moddock.Testing.TestEnvironment.NewTempDir("cache-remove");
        var cache = new MemoryArtifactCache(64 * 1024, maxFileEntries: 2);
        var damaged = FileEntry(dir, "z0", 4096);
        Assert.True(cache.TryAdd("/z0", damaged));
        Assert.True(cache.TryAdd("/m", Entry(100)));
        Assert.True(damaged.TryAcquire()); // a sender still holds it
        using (var shrink = new FileStream(Path.Combine(dir, "z0"), FileMode.Open, FileAccess.Write))
        {
            shrink.SetLength(10);
        }

        Assert.False(damaged.IsWhole());
        Assert.True(cache.TryRemove("/z0", damaged));
        Assert.False(cache.TryRemove("/z0", damaged));

        Assert.False(cache.TryGet("/z0", out _));
        Assert.Equal(1, cache.Count);
        Assert.Equal(0, cache.FileCount);
        Assert.Equal(Cost("/m", 100), cache.UsedBytes);
        Assert.False(damaged.File!.SafeFileHandle.IsClosed); // the sender's lease keeps it open
        damaged.Release();
        Assert.True(damaged.File.SafeFileHandle.IsClosed);

        // A fresh entry for the same key is not removed on behalf of the stale one, and the clock never
        // evicts it in the stale one's name.
        var fresh = FileEntry(dir, "z0b", 4096);
        Assert.True(cache.TryAdd("/z0", fresh));
        Assert.False(cache.TryRemove("/z0", damaged));
        Assert.True(fresh.IsWhole());
        Assert.True(cache.TryAdd("/z1", FileEntry(dir, "z1", 4096)));
        Assert.Equal(2, cache.FileCount);
        Assert.True(cache.TryGet("/z0", out var held));
        Assert.Same(fresh, held);
    }

    [Fact]
    public void TryAdd_OnlyTheFileCapInTheWay_EvictsFilesNotInMemoryEntries()
    {
        var dir = Moddock.Testing.TestEnvironment.NewTempDir("cache-filecap");
        var cache = new MemoryArtifactCache(1 << 20, maxFileEntries: 2);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(cache.TryAdd($"/m{i}.mod", Entry(100)));
        }

        for (var i = 0; i < 4; i++)
        {
            Assert.True(cache.TryAdd($"/z{i}.zip", FileEntry(dir, $"z{i}", 100)));
        }

        Assert.Equal(2, cache.FileCount);
        Assert.All(Enumerable.Range(0, 5), i => Assert.True(cache.TryGet($"/m{i}.mod", out _)));
        Assert.True(cache.TryGet("/z3.zip", out _));
        Assert.False(cache.TryGet("/z0.zip", out _));
    }

    [Theory]
    [InlineData("/example.com/m/@v/v1.0.0.mod", "/example.com/m/@v/v1.0.0.mod")]
    [InlineData("/example.com/m/@v/v1.0.0.mod?x=1", "/example.com/m/@v/v1.0.0.mod")]
    [InlineData("/example.com/%21upper/v2/@v/v2.0.0-%21rc.1.zip", "/example.com/!upper/v2/@v/v2.0.0-!rc.1.zip")]
    [InlineData("/example.com/!upper/v2/@v/v2.0.0.info?a=%21", "/example.com/!upper/v2/@v/v2.0.0.info")]
    [InlineData("/example.com/%2521/@v/v1.0.0.mod", "/example.com/%2521/@v/v1.0.0.mod")]
    public void KeyFor_EquivalentSpellings_ShareOneKey(string rawTarget, string expected)
    {
        Assert.Equal(expected, MemoryArtifactCache.KeyFor(rawTarget));
    }
}
