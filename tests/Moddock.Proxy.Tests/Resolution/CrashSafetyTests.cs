using Moddock.Proxy.Sources;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Tests.Support;

namespace Moddock.Proxy.Tests.Resolution;

/// <summary>A process killed mid-download leaves nothing that is served later; a restart fetches clean bytes.</summary>
public sealed class CrashSafetyTests
{
    [Fact]
    public async Task Resolve_ProcessDiesMidZipDownload_RestartServesCorrectBytesAndNoTemp()
    {
        var m = TestModule.Large("example.com/killed", "v1.0.0", 256);
        var hanging = new FakeSource("up", m) { ZipGate = new TaskCompletionSource(), AnnounceLength = true };
        var first = new ResolverHarness([ChainEntry.Upstream(hanging, false)], new ModuleResolverOptions { StreamZipsFrom = 0 });

        // The first "process" has half the zip on disk when it dies (its flight never finishes).
        var streaming = await first.GetAsync(m, ArtifactKind.Zip);
        await SingleFlightTests.WaitUntilAsync(() => Directory.EnumerateFiles(first.Root, DiskLayout.TempPrefix + "*", SearchOption.AllDirectories).Any(f => new FileInfo(f).Length > 0));
        Assert.Equal(ResolveOutcome.Found, streaming.Outcome);
        Assert.Null(streaming.Content!.FilePath);
        Assert.Null(await first.Store.TryGetAsync(StoreKey.ForVersion(m.Path, ArtifactKind.Zip, m.Version), default));

        // The restarted process opens the same root with a working upstream, after the temp sat unwritten for
        // longer than the abandoned age (a younger one could be another live process's download).
        foreach (var temp in Directory.EnumerateFiles(first.Root, DiskLayout.TempPrefix + "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(temp, first.Time.GetUtcNow().UtcDateTime - TimeSpan.FromHours(1));
        }

        var healthy = new FakeSource("up", m);
        var restarted = new ResolverHarness([ChainEntry.Upstream(healthy, false)], root: first.Root);

        Assert.Empty(Directory.EnumerateFiles(first.Root, DiskLayout.TempPrefix + "*", SearchOption.AllDirectories));
        var r = await restarted.GetAsync(m, ArtifactKind.Zip);
        Assert.Equal(m.Zip, await ResolverHarness.ReadAsync(r));
        Assert.Equal(1, healthy.ZipCalls);
        hanging.ZipGate.SetResult();
    }

    [Fact]
    public async Task Resolve_UpstreamFailures_OneLogLinePerFailureNamingItsCause()
    {
        var m = new TestModule("example.com/logged", "v1.0.0");
        await using var broken = FakeUpstream.Start((_, _) => FakeResponse.Text(500, "disk full"));
        var logs = new ListLoggerFactory();
        Assert.True(Modules.GoProxyList.TryParse(broken.Url, out var entries, out _));
        var options = new ModuleProxyOptions { Upstreams = entries };
        options.Storage.Root = Moddock.Testing.TestEnvironment.NewTempDir("logged");
        using var proxy = ModuleProxy.Create(options, logs);

        await proxy.Resolver.ResolveAsync(new ModuleRequest(m.Path, ArtifactKind.Mod, "v1.0.0"), default);

        var line = Assert.Single(logs.Lines, l => l.Contains("upstream", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal));
        Assert.Contains("status", line);
        Assert.Contains("500", line);
        Assert.Contains("disk full", line);
        Assert.Contains("example.com/logged", line);
    }
}
