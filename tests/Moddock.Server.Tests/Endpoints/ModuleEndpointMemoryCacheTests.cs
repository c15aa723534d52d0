using System.Text;
using Moddock.Proxy;
using Moddock.Server.Auth;
using Moddock.Server.Tests.Support;

namespace Moddock.Server.Tests.Endpoints;

/// <summary>The in-memory copy of immutable artifacts, seen through HTTP with a fake resolver behind the real host.</summary>
public sealed class ModuleEndpointMemoryCacheTests
{
    private static string StoredFile(RunningServer server, string name, byte[] bytes)
    {
        var path = Path.Combine(server.Storage, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static ArtifactContent FileContent(string path, bool stale = false) =>
        new(path, new FileInfo(path).Length, "application/octet-stream", DateTimeOffset.UnixEpoch, stale);

    /// <summary>Answers every request with the stored file named after its module path and kind.</summary>
    private static void AnswerFromFiles(RunningServer server, CacheStatus status) =>
        server.Resolver.Answer = r => ResolveResult.Found(FileContent(Path.Combine(server.Storage, FileName(r))), status);

    private static string FileName(ModuleRequest r) => r.Path.Value.Replace('/', '_') + "." + r.Kind + "." + r.Query;

    [Theory]
    [InlineData("/example.com/m/@v/v1.0.0.info", "application/json")]
    [InlineData("/example.com/m/@v/v1.0.0.mod", "text/plain; charset=utf-8")]
    [InlineData("/example.com/m/@v/v1.0.0.zip", "application/zip")]
    public async Task Get_StoredImmutableArtifact_SecondRequestServedFromMemoryWithSameAnswer(string target, string contentType)
    {
        await using var server = await RunningServer.StartAsync();
        var bytes = Encoding.UTF8.GetBytes("content of " + target);
        var file = StoredFile(server, "a", bytes);
        server.Resolver.Answer = _ => ResolveResult.Found(FileContent(file), CacheStatus.Hit);

        var first = await server.SendAsync("GET", target);
        File.Delete(file);
        var second = await server.SendAsync("GET", target);
        var head = await server.SendAsync("HEAD", target);

        Assert.Single(server.Resolver.Requests);
        foreach (var r in new[] { first, second, head })
        {
            Assert.Equal(200, r.Status);
            Assert.Equal(contentType, r.Header("Content-Type"));
            Assert.Equal(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Header("Content-Length"));
            Assert.Equal(first.Header("Last-Modified"), r.Header("Last-Modified"));
            Assert.Equal("hit", r.Header("X-Moddock-Cache"));
        }

        Assert.Equal(bytes, first.Body);
        Assert.Equal(bytes, second.Body);
        Assert.Empty(head.Body);
    }

    [Fact]
    public async Task Get_ZipLargerThanOnePipeChunk_ServedWholeFromMemory()
    {
        await using var server = await RunningServer.StartAsync();
        var bytes = new byte[1_059_378];
        new Random(7).NextBytes(bytes);
        var file = StoredFile(server, "zip", bytes);
        server.Resolver.Answer = _ => ResolveResult.Found(FileContent(file), CacheStatus.Hit);

        var first = await server.SendAsync("GET", "/example.com/m/@v/v1.0.0.zip");
        var second = await server.SendAsync("GET", "/example.com/m/@v/v1.0.0.zip");

        Assert.Single(server.Resolver.Requests);
        Assert.Equal(bytes, first.Body);
        Assert.Equal(bytes, second.Body);
    }

    [Fact]
    public async Task Get_MissStreamedWhileFetching_IsNeverKeptInMemory()
    {
        // A miss may be a zip still streaming from upstream (not yet verified or committed):
        // only an answer the store already held (a hit) is copied into memory.
        await using var server = await RunningServer.StartAsync();
        var bytes = "uncommitted"u8.ToArray();
        server.Resolver.Answer = _ => ResolveResult.Found(new ArtifactContent(_ => new MemoryStream(bytes), bytes.Length, "application/zip", null), CacheStatus.Miss);

        await server.SendAsync("GET", "/example.com/m/@v/v1.0.0.zip");
        var file = StoredFile(server, "committed", "committed!!"u8.ToArray());
        server.Resolver.Answer = _ => ResolveResult.Found(FileContent(file), CacheStatus.Miss);
        await server.SendAsync("GET", "/example.com/m/@v/v1.0.0.zip");
        var third = await server.SendAsync("GET", "/example.com/m/@v/v1.0.0.zip");

        Assert.Equal(3, server.Resolver.Requests.Count);
        Assert.Equal("committed!!"u8.ToArray(), third.Body);
        Assert.Equal("miss", third.Header("X-Moddock-Cache"));
    }

    [Theory]
    [InlineData("/example.com/m/@v/list")]
    [InlineData("/example.com/m/@latest")]
    [InlineData("/example.com/m/@v/master.info")]
    [InlineData("/example.com/m/@v/v1.2.info")]
    public async Task Get_ListLatestOrQuery_AlwaysAsksTheResolver(string target)
    {
        await using var server = await RunningServer.StartAsync();
        var file = StoredFile(server, "a", "{\"Version\":\"v1.2.0\"}"u8.ToArray());
        server.Resolver.Answer = _ => ResolveResult.Found(FileContent(file), CacheStatus.Hit);

        await server.SendAsync("GET", target);
        await server.SendAsync("GET", target);

        Assert.Equal(2, server.Resolver.Requests.Count);
    }

    [Fact]
    public async Task Get_StaleAnswer_IsNotKeptInMemory()
    {
        await using var server = await RunningServer.StartAsync();
        var file = StoredFile(server, "a", "{}"u8.ToArray());
        server.Resolver.Answer = _ => ResolveResult.Found(FileContent(file, stale: true), CacheStatus.Hit);

        await server.SendAsync("GET", "/example.com/m/@v/v1.0.0.info");
        var second = await server.SendAsync("GET", "/example.com/m/@v/v1.0.0.info");

        Assert.Equal(2, server.Resolver.Requests.Count);
        Assert.Equal("stale", second.Header("X-Moddock-Cache"));
    }

    [Fact]
    public async Task Get_ManyArtifactsOverASmallBudget_EvictedOnesComeBackFromTheStoreWithCorrectBytes()
    {
        // 64 KiB budget: entries up to 4 KiB, so about twenty 3 KiB go.mod files fit; forty cycle through it twice.
        // (Zips are held as open files, not bytes: MemoryArtifactCacheTests covers their own cap.)
        await using var server = await RunningServer.StartAsync(memoryCacheBytes: 64 * 1024);
        AnswerFromFiles(server, CacheStatus.Hit);
        var versions = Enumerable.Range(0, 40).Select(i => $"v1.0.{i}").ToArray();
        var expected = new Dictionary<string, byte[]>();
        foreach (var v in versions)
        {
            var bytes = new byte[3000];
            new Random(v.GetHashCode(StringComparison.Ordinal)).NextBytes(bytes);
            File.WriteAllBytes(Path.Combine(server.Storage, $"example.com_m.Mod.{v}"), bytes);
            expected[v] = bytes;
        }

        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var v in versions)
            {
                var r = await server.SendAsync("GET", $"/example.com/m/@v/{v}.mod");
                Assert.Equal(200, r.Status);
                Assert.Equal(expected[v], r.Body);
            }
        }

        // Every artifact was resolved at least once, and eviction sent some back to the store.
        Assert.Equal(versions.Length, server.Resolver.Requests.Select(r => r.Query).Distinct().Count());
        Assert.InRange(server.Resolver.Requests.Count, versions.Length + 1, 2 * versions.Length);
    }

    [Fact]
    public async Task Get_MemoryCacheOff_EveryRequestReachesTheResolver()
    {
        await using var server = await RunningServer.StartAsync(memoryCacheBytes: 0);
        var file = StoredFile(server, "a", "{}"u8.ToArray());
        server.Resolver.Answer = _ => ResolveResult.Found(FileContent(file), CacheStatus.Hit);

        await server.SendAsync("GET", "/example.com/m/@v/v1.0.0.info");
        var second = await server.SendAsync("GET", "/example.com/m/@v/v1.0.0.info");

        Assert.Equal(2, server.Resolver.Requests.Count);
        Assert.Equal("{}"u8.ToArray(), second.Body);
    }

    [Fact]
    public async Task Get_CachedPrivateArtifact_StillNeedsCredentials()
    {
        var token = "s3cret-token";
        var auth = new ClientAuthOptions
        {
            Tokens = [new ClientCredential("ci", ClientSecretHash.Create(token, iterations: 1000))],
            Rules = [new ClientAccessRule("corp.example.com")],
        };
        await using var server = await RunningServer.StartAsync(auth: auth);
        var file = StoredFile(server, "a", "module corp.example.com/m\n"u8.ToArray());
        server.Resolver.Answer = _ => ResolveResult.Found(FileContent(file), CacheStatus.Hit);
        const string target = "/corp.example.com/m/@v/v1.0.0.mod";

        var withToken = await RawHttp.SendAsync(server.Port, "GET", target, $"Authorization: Bearer {token}\r\n");
        var without = await server.SendAsync("GET", target);
        var headWithout = await server.SendAsync("HEAD", target);

        Assert.Equal(200, withToken.Status);
        Assert.Equal(401, without.Status);
        Assert.Equal(401, headWithout.Status);
        Assert.DoesNotContain("module corp.example.com", without.Text, StringComparison.Ordinal);
        Assert.Single(server.Resolver.Requests);
    }

    [Fact]
    public async Task Get_SameArtifactWithDifferentQueries_SharesOneMemoryCopy()
    {
        await using var server = await RunningServer.StartAsync();
        var file = StoredFile(server, "a", "module example.com/m\n"u8.ToArray());
        server.Resolver.Answer = _ => ResolveResult.Found(FileContent(file), CacheStatus.Hit);

        await server.SendAsync("GET", "/example.com/m/@v/v1.0.0.mod");
        var withQuery = await server.SendAsync("GET", "/example.com/m/@v/v1.0.0.mod?x=1");
        await server.SendAsync("GET", "/example.com/m/@v/v1.0.0.mod?x=2");

        Assert.Single(server.Resolver.Requests);
        Assert.Equal("module example.com/m\n"u8.ToArray(), withQuery.Body);
    }

    /// <summary>A body stream that fails on its first read, as a zip whose copy another process replaced does.</summary>
    private sealed class SupersededStream : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(new ArtifactSupersededException());

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromException<int>(new ArtifactSupersededException());

        public override int Read(byte[] buffer, int offset, int count) => throw new ArtifactSupersededException();
    }

    [Fact]
    public async Task Get_AnswerSupersededByAnotherProcessBeforeItsFirstByte_ResolvedAgainAndServedTheStoredCopy()
    {
        await using var server = await RunningServer.StartAsync();
        var stored = new byte[5000];
        new Random(3).NextBytes(stored);
        var file = StoredFile(server, "stored", stored);
        server.Resolver.Answer = r => server.Resolver.Requests.Count == 1
            ? ResolveResult.Found(new ArtifactContent(_ => new SupersededStream(), 4000, "application/zip", null), CacheStatus.Miss, "up")
            : ResolveResult.Found(FileContent(file), CacheStatus.Hit);

        var r = await server.SendAsync("GET", "/example.com/m/@v/v1.0.0.zip");

        Assert.Equal(200, r.Status);
        Assert.Equal(stored, r.Body);
        Assert.Equal("5000", r.Header("Content-Length"));
        Assert.Equal(2, server.Resolver.Requests.Count);
    }

    [Fact]
    public async Task Get_SupersededTwice_502WithTheReasonNotALoop()
    {
        await using var server = await RunningServer.StartAsync();
        server.Resolver.Answer = _ => ResolveResult.Found(new ArtifactContent(_ => new SupersededStream(), 4000, "application/zip", null), CacheStatus.Miss, "up");

        var r = await server.SendAsync("GET", "/example.com/m/@v/v1.0.0.zip");

        Assert.Equal(502, r.Status);
        Assert.Contains("another process", r.Text, StringComparison.Ordinal);
        Assert.Equal(2, server.Resolver.Requests.Count);
    }
}
