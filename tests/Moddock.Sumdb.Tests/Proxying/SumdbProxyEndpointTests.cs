using System.Text;
using Moddock.Sumdb.Proxying;
using Moddock.Sumdb.Tests.Support;
using Moddock.Testing;

namespace Moddock.Sumdb.Tests.Proxying;

/// <summary>The /sumdb/NAME/ proxy endpoint in front of x/mod's real database, checked with x/mod's own client.</summary>
public sealed class SumdbProxyEndpointTests : IDisposable
{
    private const string Name = "sumdb.moddock.test";
    private readonly SumdbWorld _w = new();

    public void Dispose() => _w.Dispose();

    private (SumdbProxyEndpoint Endpoint, RecordingOps Ops, GoSumdbServer Server) Make(string storage = "storage", params string[] preload)
    {
        var server = _w.Start(preload);
        var (client, ops, _, _) = _w.Client(server.Url, storage);
        return (new SumdbProxyEndpoint(client, ops), ops, server);
    }

    [Fact]
    public async Task HandleAsync_GoClientThroughProxy_VerifiesAlsoWithDatabaseStopped()
    {
        var (endpoint, _, server) = Make();
        using var host = new LoopbackSumdbHost(endpoint);
        var baseUrl = host.BaseUrl + "/sumdb/" + Name;
        var go = SumOracle.Instance;

        foreach (var mv in new[] { "example.com/m00@v1.0.0", "example.com/m01@v1.0.0", "example.com/m02@v1.0.0" })
        {
            var (m, v) = (mv.Split('@')[0], mv.Split('@')[1]);
            var lines = go.Ok("lookup", _w.VerifierKey, baseUrl, TestEnvironment.NewTempDir("goclient"), m, v)[0];
            Assert.Equal(SumdbWorld.ZipLine(mv, _w.Lines[mv]), lines);
        }

        server.Dispose();

        // A fresh go client (empty cache) still verifies what was seen, from Moddock's cache alone.
        var offline = go.Ok("lookup", _w.VerifierKey, baseUrl, TestEnvironment.NewTempDir("goclient"), "example.com/m01", "v1.0.0")[0];
        Assert.Equal(SumdbWorld.ZipLine("example.com/m01@v1.0.0", _w.Lines["example.com/m01@v1.0.0"]), offline);
        var unseen = go.Ask("lookup", _w.VerifierKey, baseUrl, TestEnvironment.NewTempDir("goclient"), "example.com/m07", "v1.0.0");
        Assert.Equal("err", unseen[0]);
    }

    [Fact]
    public async Task HandleAsync_OfflineProxyAfterWarmUp_ServesCachedLookupAndTiles()
    {
        var (warm, _, server) = Make();
        var r1 = await warm.HandleAsync(Name, "lookup/example.com/m03@v1.0.0", default);
        Assert.Equal(200, r1.Status);
        server.Dispose();

        var (client, ops, _, _) = _w.Client(server.Url, offline: true);
        var offline = new SumdbProxyEndpoint(client, ops);
        var r2 = await offline.HandleAsync(Name, "lookup/example.com/m03@v1.0.0", default);
        var tile = await offline.HandleAsync(Name, "tile/8/0/000.p/1", default);

        Assert.Equal(r1.Body, r2.Body);
        Assert.Equal(200, tile.Status);
        Assert.True(tile.FromCache);
        Assert.Equal(32, tile.Body.Length);
    }

    [Fact]
    public async Task HandleAsync_TamperedUpstreamTile_RefusedAndNotCached()
    {
        // Five records logged up front: the proxy's own client only ever fetches tile .p/5.
        var (endpoint, ops, _) = Make("storage", [.. _w.Lines.Keys.Take(5)]);
        Assert.Equal(200, (await endpoint.HandleAsync(Name, "lookup/example.com/m00@v1.0.0", default)).Status);
        ops.Tamper = (path, data) => path == "/tile/8/0/000.p/3" ? [.. data.Take(31), (byte)(data[31] ^ 1)] : data;

        var r = await endpoint.HandleAsync(Name, "tile/8/0/000.p/3", default);

        Assert.Equal(502, r.Status);
        Assert.Null(await ops.ReadCacheAsync(Name + "/tile/8/0/000.p/3", default));

        // Untampered, the same relayed tile authenticates and is cached.
        ops.Tamper = null;
        var good = await endpoint.HandleAsync(Name, "tile/8/0/000.p/3", default);
        Assert.Equal(200, good.Status);
        Assert.Equal(good.Body, await ops.ReadCacheAsync(Name + "/tile/8/0/000.p/3", default));
    }

    [Fact]
    public async Task HandleAsync_DataTile_RefusedWhenTamperedElseCachedAndServedOffline()
    {
        var (endpoint, ops, server) = Make("storage", [.. _w.Lines.Keys.Take(5)]);
        Assert.Equal(200, (await endpoint.HandleAsync(Name, "lookup/example.com/m00@v1.0.0", default)).Status);
        // Changes a module path every record holds (a byte chosen by value, like 'A', is missing from some random hashes).
        ops.Tamper = (path, data) => path == "/tile/8/data/000.p/3"
            ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(data).Replace("example.com/m0", "example.com/x0", StringComparison.Ordinal))
            : data;

        var tampered = await endpoint.HandleAsync(Name, "tile/8/data/000.p/3", default);

        Assert.Equal(502, tampered.Status);
        Assert.Null(await ops.ReadCacheAsync(Name + "/tile/8/data/000.p/3", default));

        ops.Tamper = null;
        var good = await endpoint.HandleAsync(Name, "tile/8/data/000.p/3", default);
        Assert.Equal(200, good.Status);
        Assert.Contains("example.com/m02 v1.0.0 ", Encoding.UTF8.GetString(good.Body));
        server.Dispose();

        var (client, offlineOps, _, _) = _w.Client(server.Url, offline: true);
        var offline = await new SumdbProxyEndpoint(client, offlineOps).HandleAsync(Name, "tile/8/data/000.p/3", default);
        Assert.Equal(200, offline.Status);
        Assert.True(offline.FromCache);
        Assert.Equal(good.Body, offline.Body);
    }

    [Theory]
    [InlineData("tile/8/0/000.p/5")]
    [InlineData("tile/8/data/000.p/5")]
    public async Task HandleAsync_CachedTileCutShort_NotServedFetchedAgain(string rest)
    {
        var (endpoint, ops, _) = Make("storage", [.. _w.Lines.Keys.Take(5)]);
        Assert.Equal(200, (await endpoint.HandleAsync(Name, "lookup/example.com/m00@v1.0.0", default)).Status);
        var good = await endpoint.HandleAsync(Name, rest, default);
        var file = Path.Combine(_w.Dir, "storage", "cache", Name, rest);
        File.WriteAllBytes(file, good.Body.AsSpan(0, 40).ToArray());

        var again = await endpoint.HandleAsync(Name, rest, default);

        Assert.Equal(200, again.Status);
        Assert.Equal(good.Body, again.Body);
        Assert.Equal(good.Body, await ops.ReadCacheAsync(Name + "/" + rest, default));
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("tile/8/0/000.p/3")]
    [InlineData("tile/8/data/000.p/3")]
    public async Task HandleAsync_PersistedLatestTreeUnreadable_502WithReasonNot500(string rest)
    {
        var dir = Path.Combine(_w.Dir, "storage", "config", Name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "latest"), "garbage\n");
        var (endpoint, _, _) = Make("storage", [.. _w.Lines.Keys.Take(5)]);

        var r = await endpoint.HandleAsync(Name, rest, default);

        Assert.Equal(502, r.Status);
        Assert.Contains("persisted latest tree is unreadable", Encoding.UTF8.GetString(r.Body));
    }

    [Theory]
    [InlineData("pipe")]
    [InlineData("link")]
    public async Task HandleAsync_PersistedLatestTreeIsNotARegularFile_502WithReasonNotAFreshStartNorHung(string what)
    {
        // Read as "no saved tree", it would silently start over and lose rollback detection; opened, a pipe blocks.
        var dir = Path.Combine(_w.Dir, "storage", "config", Name);
        Directory.CreateDirectory(dir);
        var latest = Path.Combine(dir, "latest");
        if (what == "pipe")
        {
            var made = ProcessRunner.Run("mkfifo", [latest], dir);
            Assert.True(made.ExitCode == 0, made.StdErr);
        }
        else
        {
            var elsewhere = Path.Combine(_w.Dir, "elsewhere-latest");
            File.WriteAllText(elsewhere, "garbage\n");
            File.CreateSymbolicLink(latest, elsewhere);
        }

        var (endpoint, _, _) = Make("storage", [.. _w.Lines.Keys.Take(5)]);

        var r = await Task.Run(() => endpoint.HandleAsync(Name, "latest", default)).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(502, r.Status);
        Assert.Contains("persisted latest tree cannot be read", Encoding.UTF8.GetString(r.Body));
        Assert.Contains("not a regular file", Encoding.UTF8.GetString(r.Body));
    }

    [Theory]
    [InlineData("supported", 200)]
    [InlineData("lookup/example.com/m00", 400)]
    [InlineData("lookup/example.com/m00@latest", 400)]
    [InlineData("lookup/../../../etc/passwd@v1.0.0", 400)]
    [InlineData("lookup/example.com/M00@v1.0.0", 400)]
    [InlineData("lookup/example.com/m00@v1.0.0/../../x", 400)]
    [InlineData("tile/8/0/../../../../etc/passwd", 400)]
    [InlineData("tile/8/0/x/001", 400)]
    [InlineData("tile/3/0/001", 404)]
    [InlineData("tile/8/0/001%2f..", 400)]
    [InlineData("nothing", 404)]
    // Tile 2^56 at level 0: its first record, 2^56 << 8, overflows a long; no tree holds it.
    [InlineData("tile/8/0/x072/x057/x594/x037/x927/936.p/1", 404)]
    [InlineData("tile/8/data/x036/x028/x797/x027/x352/576.p/1", 404)]
    [InlineData("lookup/example.com/none@v1.0.0", 404)]
    public async Task HandleAsync_Paths_StatusWithReasonNever500(string rest, int status)
    {
        var (endpoint, _, _) = Make();

        var r = await endpoint.HandleAsync(Name, rest, default);

        Assert.Equal(status, r.Status);
        if (status != 200)
        {
            Assert.NotEmpty(Encoding.UTF8.GetString(r.Body).Trim());
        }
    }

    [Fact]
    public async Task HandleAsync_LookupOfNoSumdbPath_RefusedWithoutAskingTheDatabase()
    {
        // A --private (nosumdb) path must never reach the public database, not even as a relayed lookup.
        var server = _w.Start();
        var (client, ops, _, _) = _w.Client(server.Url);
        var endpoint = new SumdbProxyEndpoint(client, ops, p => p.StartsWith("example.com/m01", StringComparison.Ordinal));

        var r = await endpoint.HandleAsync(Name, "lookup/example.com/m01@v1.0.0", default);
        var publicPath = await endpoint.HandleAsync(Name, "lookup/example.com/m00@v1.0.0", default);

        Assert.Equal(403, r.Status);
        Assert.Contains("GONOSUMDB", Encoding.UTF8.GetString(r.Body));
        Assert.Equal(0, ops.CountRemote("/lookup/example.com/m01"));
        Assert.Equal(200, publicPath.Status);
    }

    [Fact]
    public async Task HandleAsync_OtherDatabaseName_404()
    {
        var (endpoint, _, _) = Make();

        Assert.Equal(404, (await endpoint.HandleAsync("sum.golang.org", "supported", default)).Status);
    }
}
