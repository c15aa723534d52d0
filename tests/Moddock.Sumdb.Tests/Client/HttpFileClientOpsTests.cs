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

    private static string Touch(string path, DateTime writtenAt)
    {
        File.WriteAllText(path, "partial");
        File.SetLastWriteTimeUtc(path, writtenAt);
        return path;
    }
}
