using System.Text;
using Moddock.Modules;
using Moddock.Proxy.Resolution;
using Moddock.Proxy.Sources.Upstream;
using Moddock.Proxy.Tests.Sources.Upstream;
using Moddock.Proxy.Tests.Support;
using Moddock.Testing;

namespace Moddock.Proxy.Tests;

/// <summary>The whole pipeline as the server builds it, against fault-injecting upstreams on 127.0.0.1.</summary>
public sealed class ModuleProxyTests
{
    private static readonly TestModule A = new("example.com/a", "v1.0.0");
    private static readonly TestModule B = TestModule.Large("example.com/b", "v0.3.0", 200);

    private static ModuleProxy Create(string upstream, Action<ModuleProxyOptions>? configure = null, TimeSpan? firstByteTimeout = null)
    {
        Assert.True(GoProxyList.TryParse(upstream, out var entries, out var error), error?.Message);
        var options = new ModuleProxyOptions { Upstreams = entries };
        options.Storage.Root = TestEnvironment.NewTempDir("module-proxy");
        var fast = UpstreamProxySourceTests.Fast();
        options.Upstream.FirstByteTimeout = firstByteTimeout ?? fast.FirstByteTimeout;
        options.Upstream.RetryBaseDelay = fast.RetryBaseDelay;
        options.Upstream.RetryMaxDelay = fast.RetryMaxDelay;

        // These tests count upstream requests: no read-ahead unless a test configures it.
        options.Resolver.Prefetch = PrefetchKinds.None;
        configure?.Invoke(options);
        return ModuleProxy.Create(options);
    }

    private static Task<ResolveResult> Get(ModuleProxy p, TestModule m, ArtifactKind kind) =>
        p.Resolver.ResolveAsync(new ModuleRequest(m.Path, kind, kind is ArtifactKind.List or ArtifactKind.Latest ? null : m.Version.Value), default);

    private static async Task DownloadAllAsync(ModuleProxy p, params TestModule[] modules)
    {
        foreach (var m in modules)
        {
            Assert.Equal(m.Version.Value + "\n", Encoding.UTF8.GetString(await ResolverHarness.ReadAsync(await Get(p, m, ArtifactKind.List))));
            await ResolverHarness.ReadAsync(await Get(p, m, ArtifactKind.Info));
            Assert.Equal(m.Mod, await ResolverHarness.ReadAsync(await Get(p, m, ArtifactKind.Mod)));
            Assert.Equal(m.Zip, await ResolverHarness.ReadAsync(await Get(p, m, ArtifactKind.Zip)));
        }
    }

    [Fact]
    public async Task Resolve_StallingMirrorThenPipe_FailsOverAndBreakerSkipsTheMirror()
    {
        await using var stall = FakeUpstream.Start((_, _) => FakeResponse.Never);
        await using var good = FakeUpstream.Files(TestModule.Layout(A, B));
        using var p = Create($"{stall.Url}|{good.Url}", firstByteTimeout: TimeSpan.FromSeconds(2));

        await DownloadAllAsync(p, A, B);

        // 8 artifacts: the breaker opened after two timeouts, so the stalling mirror saw only those two
        // connections (the fake may count the second a moment after the client gave up on it).
        await Resolution.SingleFlightTests.WaitUntilAsync(() => stall.Connections >= 2);
        Assert.Equal(2, stall.Connections);
        Assert.Equal("open", p.Upstreams[0].Circuit);
        Assert.Contains("first-byte timeout", p.Upstreams[0].LastFailure);
        Assert.Equal("closed", p.Upstreams[1].Circuit);
    }

    [Fact]
    public async Task Resolve_200ConcurrentRequestsForOneUncachedZip_OneUpstreamRequestSameBytes()
    {
        var files = TestModule.Layout(B);
        using var release = new ManualResetEventSlim();
        await using var up = FakeUpstream.Start((path, _) =>
        {
            release.Wait(TimeSpan.FromSeconds(20));
            return new FakeResponse(200, files[path]);
        });
        using var p = Create(up.Url);

        // Started from this thread, every request has joined the flight before the upstream answers.
        var requests = Enumerable.Range(0, 200).Select(async _ => await ResolverHarness.ReadAsync(await Get(p, B, ArtifactKind.Zip))).ToList();
        await Resolution.SingleFlightTests.WaitUntilAsync(() => up.Requests == 1);
        release.Set();
        var bodies = await Task.WhenAll(requests);

        Assert.All(bodies, b => Assert.Equal(B.Zip, b));
        Assert.Equal(1, up.CountRequests(".zip"));
    }

    [Fact]
    public async Task Resolve_RefusingMirrorThenPipe_FailsOver()
    {
        await using var good = FakeUpstream.Files(TestModule.Layout(A));
        using var p = Create($"http://127.0.0.1:{FreePort.Next()}|{good.Url}");

        await DownloadAllAsync(p, A);
        await Resolution.SingleFlightTests.WaitUntilAsync(() => ((ModuleResolver)p.Resolver).FetchesInProgress == 0);
        var r = await Get(p, A, ArtifactKind.Zip);
        Assert.Equal(CacheStatus.Hit, r.Cache);
    }

    [Fact]
    public async Task Resolve_MirrorCuttingZipsShortThenPipe_ServesExactBytes()
    {
        var files = TestModule.Layout(B);
        await using var cutter = FakeUpstream.Start((path, _) => files.TryGetValue(path, out var body)
            ? new FakeResponse(200, body) { CutAfter = path.EndsWith(".zip", StringComparison.Ordinal) ? body.Length / 2 : null }
            : FakeResponse.Text(404, "nope"));
        await using var good = FakeUpstream.Files(files);
        using var p = Create($"{cutter.Url}|{good.Url}");

        var r = await Get(p, B, ArtifactKind.Zip);

        Assert.Equal(B.Zip, await ResolverHarness.ReadAsync(r));
        Assert.Equal(3, cutter.CountRequests(".zip"));
    }

    [Fact]
    public async Task Resolve_503ThenRecovers_ServedFromTheSameMirror()
    {
        var files = TestModule.Layout(A);
        await using var flaky = FakeUpstream.Start((path, n) => n == 1 ? FakeResponse.Text(503, "warming up") : new FakeResponse(200, files[path]));
        using var p = Create(flaky.Url);

        Assert.Equal(A.Mod, await ResolverHarness.ReadAsync(await Get(p, A, ArtifactKind.Mod)));
        Assert.Equal(2, flaky.Requests);
    }

    [Fact]
    public async Task Resolve_Always500ThenComma_UpstreamFailedWithItsReason()
    {
        await using var broken = FakeUpstream.Start((_, _) => FakeResponse.Text(500, "storage backend unavailable"));
        await using var good = FakeUpstream.Files(TestModule.Layout(A));
        using var p = Create($"{broken.Url},{good.Url}");

        var r = await Get(p, A, ArtifactKind.Info);

        Assert.Equal(ResolveOutcome.UpstreamFailed, r.Outcome);
        Assert.Contains("500", r.Reason);
        Assert.Contains("storage backend unavailable", r.Reason);
        Assert.Equal(0, good.Requests);
    }

    [Fact]
    public async Task Resolve_NotFoundThenComma_FallsThrough()
    {
        await using var empty = FakeUpstream.Files(new Dictionary<string, byte[]>());
        await using var good = FakeUpstream.Files(TestModule.Layout(A));
        using var p = Create($"{empty.Url},{good.Url}");

        await DownloadAllAsync(p, A);
    }

    [Fact]
    public async Task Resolve_TamperedInfoOverHttp_Refused()
    {
        var files = TestModule.Layout(A);
        files["example.com/a/@v/v1.0.0.info"] = Encoding.UTF8.GetBytes("{\"Version\":\"v1.0.1\"}");
        await using var up = FakeUpstream.Files(files);
        using var p = Create(up.Url);

        var r = await Get(p, A, ArtifactKind.Info);

        Assert.Equal(ResolveOutcome.Refused, r.Outcome);
        Assert.Contains("v1.0.1", r.Reason);
    }

    [Fact]
    public async Task Resolve_PrivateModule_NeverSentToAnUpstreamProxy()
    {
        await using var up = FakeUpstream.Files(TestModule.Layout(A));
        using var p = Create(up.Url, o => o.Private = PathPatterns.Parse("example.com/a"));

        var r = await Get(p, A, ArtifactKind.Info);

        Assert.Equal(ResolveOutcome.NotFound, r.Outcome);
        Assert.Equal("direct mode is not available", r.Reason);
        Assert.Equal(0, up.Requests);
    }

    [Fact]
    public async Task Resolve_FileUrlUpstream_ServesTheTree()
    {
        var dir = TestEnvironment.NewTempDir("file-upstream");
        foreach (var (path, body) in TestModule.Layout(A))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, path))!);
            await File.WriteAllBytesAsync(Path.Combine(dir, path), body);
        }

        using var p = Create("file://" + dir);
        await DownloadAllAsync(p, A);
    }

    [Fact]
    public async Task Create_Always_ReportsWritableStorageAndEachUpstream()
    {
        using var p = Create("https://user:pw@mirror.invalid,direct");

        Assert.Null(await p.CheckStorageWritableAsync(default));
        var status = Assert.Single(p.Upstreams);
        Assert.Equal("https://user:xxxxx@mirror.invalid", status.Name);
        Assert.Equal("closed", status.Circuit);
    }
}
