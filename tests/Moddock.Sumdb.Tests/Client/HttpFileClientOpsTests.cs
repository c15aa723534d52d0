using Microsoft.Extensions.Logging.Abstractions;
using Moddock.Sumdb.Client;
using Moddock.Testing;

namespace Moddock.Sumdb.Tests.Client;

public sealed class HttpFileClientOpsTests
{
    [Fact]
    public async Task RemoveAbandonedTemps_OldAndYoungTempsAndCacheFiles_OnlyTheOldTempsGo()
    {
        var dir = TestEnvironment.NewTempDir("sumdb-temps");
        using var http = new HttpClient();
        var ops = new HttpFileClientOps(http, new Uri("http://127.0.0.1:9/"), dir, SumdbLimits.Default, offline: true, NullLogger.Instance);
        await ops.WriteCacheAsync("sum.test/lookup/example.com/a@v1.0.0", "cached"u8.ToArray(), default);
        var lookups = Path.Combine(dir, "cache", "sum.test", "lookup", "example.com");
        var config = Path.Combine(dir, "config", "sum.test");
        Directory.CreateDirectory(config);
        var old = DateTime.UtcNow - TimeSpan.FromHours(1);
        var oldLookupTemp = Touch(Path.Combine(lookups, "b@v1.0.0.tmp-0123abcd"), old);
        var oldLatestTemp = Touch(Path.Combine(config, "latest.tmp-89abcdef"), old);
        var youngTemp = Touch(Path.Combine(lookups, "c@v1.0.0.tmp-00ff00ff"), DateTime.UtcNow);
        var notATemp = Touch(Path.Combine(lookups, "d@v1.0.0.tmp-later"), old); // a module version may contain ".tmp-"

        var removed = ops.RemoveAbandonedTemps(DateTime.UtcNow - TimeSpan.FromMinutes(10));

        Assert.Equal(2, removed);
        Assert.False(File.Exists(oldLookupTemp));
        Assert.False(File.Exists(oldLatestTemp));
        Assert.True(File.Exists(youngTemp));
        Assert.True(File.Exists(notATemp));
        Assert.Equal("cached"u8.ToArray(), await ops.ReadCacheAsync("sum.test/lookup/example.com/a@v1.0.0", default));
    }

    [Fact]
    public async Task ReadCacheAsync_PipeOrLinkInACachedFilesPlace_MissNotHungNorFollowedThenReplacedByTheNextWrite()
    {
        var dir = TestEnvironment.NewTempDir("sumdb-irregular");
        using var http = new HttpClient();
        var ops = new HttpFileClientOps(http, new Uri("http://127.0.0.1:9/"), dir, SumdbLimits.Default, offline: true, NullLogger.Instance);
        await ops.WriteCacheAsync("sum.test/lookup/example.com/a@v1.0.0", "cached"u8.ToArray(), default);
        var lookups = Path.Combine(dir, "cache", "sum.test", "lookup", "example.com");
        var made = ProcessRunner.Run("mkfifo", [Path.Combine(lookups, "piped@v1.0.0")], lookups);
        Assert.True(made.ExitCode == 0, made.StdErr);
        var outside = Path.Combine(TestEnvironment.NewTempDir("sumdb-outside"), "secret");
        await File.WriteAllTextAsync(outside, "not the cache's");
        File.CreateSymbolicLink(Path.Combine(lookups, "linked@v1.0.0"), outside);

        // On another thread, bounded: opening a pipe to read it blocks until a writer comes.
        var piped = await Task.Run(() => ops.ReadCacheAsync("sum.test/lookup/example.com/piped@v1.0.0", default)).WaitAsync(TimeSpan.FromSeconds(20));
        var linked = await ops.ReadCacheAsync("sum.test/lookup/example.com/linked@v1.0.0", default);
        await ops.WriteCacheAsync("sum.test/lookup/example.com/piped@v1.0.0", "fresh"u8.ToArray(), default);

        Assert.Null(piped);
        Assert.Null(linked);
        Assert.Equal("fresh"u8.ToArray(), await ops.ReadCacheAsync("sum.test/lookup/example.com/piped@v1.0.0", default));
        Assert.Equal("cached"u8.ToArray(), await ops.ReadCacheAsync("sum.test/lookup/example.com/a@v1.0.0", default));
        Assert.Equal("not the cache's", await File.ReadAllTextAsync(outside));
    }

    [Fact]
    public async Task WriteCacheAsync_LookupsIntoOneNewDirectoryAtOnce_EveryOneWritten()
    {
        // Lookups of one new module path prefix are cached into a directory that does not exist yet; when one of them
        // creates it while another's create has just failed, .NET reports that failure as FileNotFoundException
        // (it looks for the directory again after the failed open), which the write took for a real failure and
        // dropped that lookup from the cache. Many small groups of writers, each group into its own new directory.
        var dir = TestEnvironment.NewTempDir("sumdb-parallel");
        using var http = new HttpClient();
        var ops = new HttpFileClientOps(http, new Uri("http://127.0.0.1:9/"), dir, SumdbLimits.Default, offline: true, NullLogger.Instance);
        var names = new List<string>();
        for (var g = 0; g < 400; g++)
        {
            var group = Enumerable.Range(0, 4).Select(i => $"sum.test/lookup/example.com/g{g:000}/m{i}@v1.0.0").ToList();
            names.AddRange(group);
            using var start = new Barrier(group.Count);
            await Task.WhenAll(group.Select(n => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    ops.WriteCacheAsync(n, "data"u8.ToArray(), default).GetAwaiter().GetResult();
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default)));
        }

        var missing = new List<string>();
        foreach (var n in names)
        {
            if (await ops.ReadCacheAsync(n, default) is not { } data || !data.AsSpan().SequenceEqual("data"u8))
            {
                missing.Add(n);
            }
        }

        Assert.Empty(missing);
    }

    private static string Touch(string path, DateTime writtenAt)
    {
        File.WriteAllText(path, "partial");
        File.SetLastWriteTimeUtc(path, writtenAt);
        return path;
    }
}
