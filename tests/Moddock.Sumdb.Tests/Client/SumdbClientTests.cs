using Microsoft.Extensions.Logging;
using Moddock.Sumdb.Client;
using Moddock.Sumdb.Note;
using Moddock.Sumdb.Tests.Support;
using Moddock.Testing;

namespace Moddock.Sumdb.Tests.Client;

/// <summary>Our client against x/mod's real checksum database server (sumdb.NewServer + NewTestServer).</summary>
public sealed class SumdbClientTests : IDisposable
{
    private readonly SumdbWorld _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task LookupAsync_GrowingDatabase_ReturnsVerifiedGoSumLines()
    {
        var server = _w.Start();
        var (client, ops, _, _) = _w.Client(server.Url);
        foreach (var (mv, h) in _w.Lines.Take(10))
        {
            var (m, v) = (mv.Split('@')[0], mv.Split('@')[1]);
            var r = await client.LookupAsync(m, v, default);
            Assert.Equal(LookupOutcome.Found, r.Outcome);
            Assert.Equal([$"{m} {v} {h.Zip}", $"{m} {v}/go.mod {h.Mod}"], r.Lines);
        }

        // Each lookup appended a record, so every answer carried a larger tree that had to be consistent.
        Assert.Equal(10, client.Latest.N);
        Assert.Empty(ops.SecurityErrors);
    }

    [Fact]
    public async Task LookupAsync_Repeated_ServedFromCache()
    {
        var server = _w.Start();
        var (client, ops, _, _) = _w.Client(server.Url);
        await client.LookupAsync("example.com/m00", "v1.0.0", default);
        await client.LookupAsync("example.com/m01", "v1.0.0", default);
        var before = ops.RemotePaths.Count;

        var again = await client.LookupAsync("example.com/m00", "v1.0.0", default);

        Assert.Equal(LookupOutcome.Found, again.Outcome);
        Assert.Equal(before, ops.RemotePaths.Count);
    }

    [Theory]
    [InlineData("lookup")]
    [InlineData("tile")]
    public async Task LookupAsync_CacheFileDamagedByACrash_FetchedAgainAndRewritten(string damaged)
    {
        // Cache files are renamed into place without fsync: after a power loss one can be empty or cut short.
        var server = _w.Start([.. _w.Lines.Keys.Take(5)]);
        var (first, _, inner, _) = _w.Client(server.Url);
        Assert.Equal(LookupOutcome.Found, (await first.LookupAsync("example.com/m00", "v1.0.0", default)).Outcome);
        var file = damaged == "lookup" ? "sumdb.moddock.test/lookup/example.com/m00@v1.0.0" : "sumdb.moddock.test/tile/8/0/000.p/5";
        var good = await inner.ReadCacheAsync(file, default) ?? throw new InvalidOperationException(file + " not cached");
        File.WriteAllBytes(Path.Combine(inner.CacheRoot, file), good.AsSpan(0, 40).ToArray());

        var (restarted, _, _, _) = _w.Client(server.Url);
        var r = await restarted.LookupAsync("example.com/m00", "v1.0.0", default);

        Assert.Equal(LookupOutcome.Found, r.Outcome);

        // Tiles are written back in the background: wait (bounded) for the good copy.
        var now = await inner.ReadCacheAsync(file, default);
        for (var i = 0; i < 100 && !Enumerable.SequenceEqual(good, now ?? []); i++)
        {
            await Task.Delay(50);
            now = await inner.ReadCacheAsync(file, default);
        }

        Assert.Equal(good, now);
    }

    [Fact]
    public async Task LookupAsync_SecondCallerDuringCacheWrite_AnsweredBeforeTheWriteAndFirstCallerReturnsAfterIt()
    {
        var server = _w.Start();
        var (client, ops, inner, _) = _w.Client(server.Url);
        ops.LookupCacheWriteGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const string file = "sumdb.moddock.test/lookup/example.com/m00@v1.0.0";

        var first = client.LookupAsync("example.com/m00", "v1.0.0", default);
        await ops.LookupCacheWriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = await client.LookupAsync("example.com/m00", "v1.0.0", default).WaitAsync(TimeSpan.FromSeconds(30));

        // The authenticated answer does not wait for the disk cache; the caller that ran the lookup does.
        Assert.Equal(LookupOutcome.Found, second.Outcome);
        Assert.False(first.IsCompleted);
        Assert.Null(await inner.ReadCacheAsync(file, default));

        ops.LookupCacheWriteGate.SetResult();
        Assert.Equal(LookupOutcome.Found, (await first.WaitAsync(TimeSpan.FromSeconds(30))).Outcome);
        Assert.Equal(second.Raw, await inner.ReadCacheAsync(file, default));
        Assert.Equal(1, ops.CountRemote("/lookup/"));
    }

    [Fact]
    public async Task LookupAsync_UnknownModule_NotFound()
    {
        var server = _w.Start();
        var (client, _, _, _) = _w.Client(server.Url);

        var r = await client.LookupAsync("example.com/nope", "v1.0.0", default);

        Assert.Equal(LookupOutcome.NotFound, r.Outcome);
    }

    [Fact]
    public async Task LookupAsync_TamperedRecord_RejectedAndNotCached()
    {
        var server = _w.Start("example.com/m00@v1.0.0", "example.com/m01@v1.0.0");
        var (client, ops, inner, _) = _w.Client(server.Url);
        ops.Tamper = (path, data) => path.StartsWith("/lookup/", StringComparison.Ordinal) ? Flip(data, 20) : data;

        var r = await client.LookupAsync("example.com/m01", "v1.0.0", default);

        Assert.Equal(LookupOutcome.Invalid, r.Outcome);
        Assert.Contains("cannot authenticate record", r.Reason);
        Assert.Null(await inner.ReadCacheAsync("sumdb.moddock.test/lookup/example.com/m01@v1.0.0", default));
    }

    [Fact]
    public async Task LookupAsync_TamperedTile_RejectedAndTileNotCached()
    {
        var server = _w.Start("example.com/m00@v1.0.0", "example.com/m01@v1.0.0", "example.com/m02@v1.0.0");
        var (client, ops, inner, _) = _w.Client(server.Url);
        ops.Tamper = (path, data) => path.StartsWith("/tile/", StringComparison.Ordinal) ? Flip(data, 0) : data;

        var r = await client.LookupAsync("example.com/m01", "v1.0.0", default);

        Assert.Equal(LookupOutcome.Invalid, r.Outcome);
        Assert.Contains("inconsistent tile", r.Reason);
        Assert.False(Directory.Exists(Path.Combine(inner.CacheRoot, "sumdb.moddock.test", "tile")));
    }

    [Fact]
    public async Task LookupAsync_WrongVerifierKey_Rejected()
    {
        var server = _w.Start();
        var (_, otherKey) = NoteKeys.Generate("sumdb.moddock.test");
        NoteKeys.TryParseVerifier(otherKey, out var other, out _);
        var (client, _, _, _) = _w.Client(server.Url, verifier: other);

        var r = await client.LookupAsync("example.com/m00", "v1.0.0", default);

        Assert.Equal(LookupOutcome.Invalid, r.Outcome);
        Assert.Contains("no verifiable signatures", r.Reason);
    }

    [Fact]
    public async Task LookupAsync_ForkedDatabaseSameKey_SecurityErrorLoggedAndLatestKept()
    {
        var a = _w.Start("example.com/m00@v1.0.0", "example.com/m01@v1.0.0", "example.com/m02@v1.0.0");
        var (clientA, _, _, _) = _w.Client(a.Url);
        Assert.Equal(LookupOutcome.Found, (await clientA.LookupAsync("example.com/m01", "v1.0.0", default)).Outcome);
        var latestA = clientA.Latest;
        a.Dispose();

        // Same key, different history: the records were logged in another order.
        var b = _w.Start("example.com/m00@v1.0.0", "example.com/m02@v1.0.0", "example.com/m01@v1.0.0");
        var (clientB, ops, _, log) = _w.Client(b.Url);

        var r = await clientB.LookupAsync("example.com/m03", "v1.0.0", default);

        Assert.Equal(LookupOutcome.SecurityError, r.Outcome);
        Assert.Single(ops.SecurityErrors);
        Assert.Contains("go.sum database server misbehavior detected", ops.SecurityErrors[0]);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Critical && e.Message.Contains("SECURITY ERROR", StringComparison.Ordinal));
        Assert.Equal(latestA, clientB.Latest);
    }

    [Fact]
    public async Task LookupAsync_RolledBackForkedDatabase_SecurityError()
    {
        var a = _w.Start("example.com/m00@v1.0.0", "example.com/m01@v1.0.0", "example.com/m02@v1.0.0", "example.com/m03@v1.0.0");
        var (clientA, _, _, _) = _w.Client(a.Url);
        Assert.Equal(LookupOutcome.Found, (await clientA.LookupAsync("example.com/m00", "v1.0.0", default)).Outcome);
        a.Dispose();

        // A smaller tree with another history: checked against the larger tree's cached tiles.
        var b = _w.Start("example.com/m01@v1.0.0");
        var (clientB, ops, _, _) = _w.Client(b.Url);

        var r = await clientB.LookupAsync("example.com/m01", "v1.0.0", default);

        Assert.Equal(LookupOutcome.SecurityError, r.Outcome);
        Assert.NotEmpty(ops.SecurityErrors);
    }

    [Fact]
    public async Task LookupAsync_TileUnreachable_FullTileNotTriedSoTheWaitIsNotDoubled()
    {
        // Five records: the lookup needs tile/8/0/000.p/5. Falling back to the full tile is for a partial tile
        // the database no longer has (404); after a timeout it only makes the client wait a second time.
        var server = _w.Start([.. _w.Lines.Keys.Take(5)]);
        var (client, ops, _, _) = _w.Client(server.Url);
        ops.Unreachable = p => p.StartsWith("/tile/", StringComparison.Ordinal);

        var r = await client.LookupAsync("example.com/m00", "v1.0.0", default);

        Assert.Equal(LookupOutcome.Unavailable, r.Outcome);
        Assert.Equal(["/tile/8/0/000.p/5"], ops.RemotePaths.Where(p => p.StartsWith("/tile/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task LookupAsync_ConcurrentLookupsNeedingOneTile_TileReadOnce()
    {
        // Five records, so all five lookups need tile/8/0/000.p/5. Their database answers are held until all five
        // have asked, and the first tile read until the others have had time to ask for the same tile.
        var server = _w.Start([.. _w.Lines.Keys.Take(5)]);
        var (client, ops, _, _) = _w.Client(server.Url);
        var lookups = new TaskCompletionSource();
        ops.RemoteGate = lookups;
        var tasks = _w.Lines.Keys.Take(5).Select(mv => client.LookupAsync(mv.Split('@')[0], mv.Split('@')[1], default)).ToList();
        await Eventually.TrueAsync(() => ops.CountRemote("/lookup/") == 5);
        var tile = new TaskCompletionSource();
        ops.RemoteGate = tile;
        lookups.SetResult();
        await Eventually.TrueAsync(() => ops.CountRemote("/tile/") >= 1);
        await Task.Delay(300);
        tile.SetResult();

        var results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(results, r => Assert.Equal(LookupOutcome.Found, r.Outcome));
        Assert.Equal(["/tile/8/0/000.p/5"], ops.RemotePaths.Where(p => p.StartsWith("/tile/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task LookupAsync_OfflineAfterLookups_ServedFromCacheOnly()
    {
        var server = _w.Start();
        var (client, _, _, _) = _w.Client(server.Url);
        Assert.Equal(LookupOutcome.Found, (await client.LookupAsync("example.com/m00", "v1.0.0", default)).Outcome);
        Assert.Equal(LookupOutcome.Found, (await client.LookupAsync("example.com/m01", "v1.0.0", default)).Outcome);
        server.Dispose();

        var (offline, ops, _, _) = _w.Client(server.Url, offline: true);
        var cached = await offline.LookupAsync("example.com/m00", "v1.0.0", default);
        var missing = await offline.LookupAsync("example.com/m05", "v1.0.0", default);

        Assert.Equal(LookupOutcome.Found, cached.Outcome);
        Assert.Equal(LookupOutcome.Unavailable, missing.Outcome);
        Assert.All(ops.RemotePaths, p => Assert.StartsWith("/lookup/example.com/m05", p));
    }

    [Fact]
    public async Task ReadRemoteAsync_EndlessResponse_CutOffAtLimit()
    {
        using var endless = new EndlessHttpServer();
        var (_, _, inner, _) = _w.Client(endless.Url, limits: new SumdbLimits(64 * 1024, TimeSpan.FromSeconds(20)));

        var r = await inner.ReadRemoteAsync("/lookup/example.com/m00@v1.0.0", default);

        Assert.Equal(RemoteFailure.TooLarge, r.Failure);
        Assert.Contains("cut off", r.Reason);
    }

    private static byte[] Flip(byte[] data, int at)
    {
        var copy = data.ToArray();
        var i = data[0] >= (byte)'0' && data[0] <= (byte)'9' ? Array.IndexOf(data, (byte)'h', at) + 5 : at;
        copy[i] = (byte)(copy[i] == (byte)'A' ? 'B' : 'A');
        return copy;
    }
}
