using System.Text;
using Moddock.Proxy;
using Moddock.Server.Tests.Routing;
using Moddock.Server.Tests.Support;

namespace Moddock.Server.Tests.Endpoints;

public sealed class ModuleEndpointTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string StoredFile(string name, byte[] bytes)
    {
        var path = Path.Combine(_server.Storage, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static ArtifactContent FileContent(string path, bool stale = false) =>
        new(path, new FileInfo(path).Length, "application/octet-stream", DateTimeOffset.UnixEpoch, stale);

    [Theory]
    [InlineData("/example.com/m/@v/list", "text/plain; charset=utf-8")]
    [InlineData("/example.com/m/@v/v1.0.0.info", "application/json")]
    [InlineData("/example.com/m/@latest", "application/json")]
    [InlineData("/example.com/m/@v/v1.0.0.mod", "text/plain; charset=utf-8")]
    [InlineData("/example.com/m/@v/v1.0.0.zip", "application/zip")]
    public async Task Get_FoundArtifact_HasProtocolContentTypeAndBytes(string target, string contentType)
    {
        var bytes = Encoding.UTF8.GetBytes("content of " + target);
        var file = StoredFile("a", bytes);
        _server.Resolver.Answer = _ => ResolveResult.Found(FileContent(file), CacheStatus.Hit);

        var r = await _server.SendAsync("GET", target);

        Assert.Equal(200, r.Status);
        Assert.Equal(contentType, r.Header("Content-Type"));
        Assert.Equal(bytes, r.Body);
        Assert.Equal(bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Header("Content-Length"));
        Assert.Equal("hit", r.Header("X-Moddock-Cache"));
    }

    [Fact]
    public async Task Head_FoundArtifact_ResolvesAndGivesSameLengthWithoutBody()
    {
        var bytes = new byte[100_000];
        Random.Shared.NextBytes(bytes);
        var file = StoredFile("zip", bytes);
        _server.Resolver.Answer = _ => ResolveResult.Found(FileContent(file), CacheStatus.Miss);

        var get = await _server.SendAsync("GET", "/example.com/m/@v/v1.0.0.zip");
        var head = await _server.SendAsync("HEAD", "/example.com/m/@v/v1.0.0.zip");

        Assert.Equal(200, head.Status);
        Assert.Equal(get.Header("Content-Length"), head.Header("Content-Length"));
        Assert.Equal(get.Header("Content-Type"), head.Header("Content-Type"));
        Assert.Empty(head.Body);
        Assert.Equal(2, _server.Resolver.Requests.Count);
    }

    [Fact]
    public async Task Get_StreamContent_IsCopied()
    {
        var bytes = Encoding.UTF8.GetBytes("v1.0.0\nv1.1.0\n");
        _server.Resolver.Answer = _ => ResolveResult.Found(new ArtifactContent(_ => new MemoryStream(bytes), bytes.Length, "text/plain", null), CacheStatus.Miss, "http://up.example");

        var r = await _server.SendAsync("GET", "/example.com/m/@v/list");

        Assert.Equal(bytes, r.Body);
        Assert.Equal("miss", r.Header("X-Moddock-Cache"));
    }

    [Fact]
    public async Task Get_StreamFailsBeforeFirstByte_Is502WithReason()
    {
        _server.Resolver.Answer = _ => ResolveResult.Found(new ArtifactContent(_ => throw new IOException("upstream cut the zip short"), 10, "application/zip", null), CacheStatus.Miss);

        var r = await _server.SendAsync("GET", "/example.com/m/@v/v1.0.0.zip");

        Assert.Equal(502, r.Status);
        Assert.Contains("upstream cut the zip short", r.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_StreamFailsBeforeFirstByteOnModdocksStorage_Is507WithTheStoragesReason()
    {
        const string Reason = "cannot store example.com/m@v1.0.0.zip in the storage: No space left on device";
        _server.Resolver.Answer = _ => ResolveResult.Found(new ArtifactContent(_ => throw new ArtifactNotStoredException(Reason), 10, "application/zip", null), CacheStatus.Miss);

        var r = await _server.SendAsync("GET", "/example.com/m/@v/v1.0.0.zip");

        Assert.Equal(507, r.Status);
        Assert.Equal(Reason + "\n", r.Text);
    }

    [Fact]
    public async Task Get_StaleList_IsMarkedStale()
    {
        var file = StoredFile("list", "v1.0.0\n"u8.ToArray());
        _server.Resolver.Answer = _ => ResolveResult.Found(FileContent(file, stale: true), CacheStatus.Stale);

        var r = await _server.SendAsync("GET", "/example.com/m/@v/list");

        Assert.Equal(200, r.Status);
        Assert.Equal("stale", r.Header("X-Moddock-Cache"));
        Assert.StartsWith("110 ", r.Header("Warning"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ResolveOutcome.NotFound, 404)]
    [InlineData(ResolveOutcome.Gone, 410)]
    [InlineData(ResolveOutcome.BadRequest, 400)]
    [InlineData(ResolveOutcome.UpstreamFailed, 502)]
    [InlineData(ResolveOutcome.Refused, 502)]
    [InlineData(ResolveOutcome.Unauthorized, 502)]
    [InlineData(ResolveOutcome.Forbidden, 502)]
    [InlineData(ResolveOutcome.StorageFailed, 507)]
    public async Task Get_Failure_HasStatusAndTextReason(ResolveOutcome outcome, int status)
    {
        _server.Resolver.Answer = r => ResolveResult.Failed(outcome, $"{outcome} for {r.Path.Value}\nsecond line");

        var r = await _server.SendAsync("GET", "/example.com/m/@v/v1.0.0.info");

        Assert.Equal(status, r.Status);
        Assert.Equal("text/plain; charset=utf-8", r.Header("Content-Type"));
        Assert.Equal($"{outcome} for example.com/m second line\n", r.Text);
    }

    [Fact]
    public async Task Get_ResolverThrows_Is500WithTextReason()
    {
        _server.Resolver.Answer = _ => throw new InvalidOperationException("bug");

        var r = await _server.SendAsync("GET", "/example.com/m/@v/list");

        Assert.Equal(500, r.Status);
        Assert.Contains("internal error", r.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    [InlineData("OPTIONS")]
    [InlineData("BREW")]
    public async Task OtherMethods_Are405WithAllow(string method)
    {
        var r = await _server.SendAsync(method, "/example.com/m/@v/list");

        Assert.Equal(405, r.Status);
        Assert.Equal("GET, HEAD", r.Header("Allow"));
        Assert.Contains(method, r.Text, StringComparison.Ordinal);
        Assert.Empty(_server.Resolver.Requests);
    }

    public static TheoryData<string, int> BadTargets => BadRequestCorpus.Targets;

    [Theory]
    [MemberData(nameof(BadTargets))]
    public async Task Get_BadTarget_RejectedWithReasonBeforeResolving(string target, int status)
    {
        var r = await _server.SendAsync("GET", target);

        Assert.Equal(status, r.Status);
        Assert.Empty(_server.Resolver.Requests);

        // Every rejection says why, also the shapes Kestrel alone would refuse with a bare 400
        // (an escaped NUL, a raw byte above 0x7F): the hot path in front of it answers those.
        Assert.Equal("text/plain; charset=utf-8", r.Header("Content-Type"));
        Assert.False(string.IsNullOrWhiteSpace(r.Text));
        if (BadRequestCorpus.RejectedByKestrel(target))
        {
            Assert.Equal("close", r.Header("Connection"));
        }
    }

    [Fact]
    public async Task Get_LiteralBackslash_IsBadRequest()
    {
        var r = await _server.SendAsync("GET", "/example.com\\..\\..\\etc/@v/list");

        Assert.Equal(400, r.Status);
        Assert.Empty(_server.Resolver.Requests);
    }

    [Fact]
    public async Task Get_PercentEncodedBang_ReachesResolverUnescaped()
    {
        var r = await _server.SendAsync("GET", "/github.com/%21burnt%21sushi/toml/@v/v1.3.2.mod");

        Assert.Equal(404, r.Status);
        var request = Assert.Single(_server.Resolver.Requests);
        Assert.Equal("github.com/BurntSushi/toml", request.Path.Value);
        Assert.Equal(ArtifactKind.Mod, request.Kind);
    }
}
