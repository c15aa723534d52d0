using Moddock.Modules;
using Moddock.Proxy.Resolution;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Sources.Upstream;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Tests.Sources.Upstream;
using Moddock.Proxy.Tests.Storage;
using Moddock.Proxy.Tests.Support;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Resolution;

/// <summary>
/// Moddock's own disk fails (full, here through <see cref="FullDisk"/>) while it stores what an upstream sent over
/// real HTTP: the client is told it is the storage, the healthy upstream is neither retried nor blamed, nothing
/// partial is kept, and everything works again once there is space.
/// </summary>
public sealed class StorageFailureTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TestModule M = TestModule.Large("example.com/full", "v1.0.0", 64);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Resolve_DiskFillsDuringZipDownload_StorageFailedOnceThenServedWhenSpaceReturns(bool streamed)
    {
        await using var up = FakeUpstream.Files(TestModule.Layout(M));
        var disk = new FullDisk(free: 100);
        var h = Harness.Over(up.Url, disk, streamed, knowsFreeSpace: false);

        var r = await h.GetAsync(ArtifactKind.Zip).WaitAsync(Bound);
        if (r.Outcome == ResolveOutcome.Found)
        {
            // A streamed answer went out before the disk filled: its body must fail, never end complete.
            Assert.True(streamed);
            var cut = await Assert.ThrowsAsync<ArtifactNotStoredException>(() => ResolverHarness.ReadAsync(r).WaitAsync(Bound));
            Assert.Contains("No space left on device", cut.Message);
        }
        else
        {
            Assert.Equal(ResolveOutcome.StorageFailed, r.Outcome);
            Assert.Contains("cannot store", r.Reason);
            Assert.Contains("No space left on device", r.Reason);
            Assert.Contains("example.com/full@v1.0.0.zip", r.Reason);
        }

        await h.SettledAsync();
        Assert.Equal(1, up.CountRequests(".zip"));
        Assert.Null(h.Source.Status.LastFailure);
        Assert.Empty(Directory.EnumerateFiles(h.Root, "*", SearchOption.AllDirectories));

        disk.Free = long.MaxValue;
        var again = await h.GetAsync(ArtifactKind.Zip).WaitAsync(Bound);
        Assert.Equal(M.Zip, await ResolverHarness.ReadAsync(again).WaitAsync(Bound));
        await h.SettledAsync();
        Assert.Equal(M.Zip, await File.ReadAllBytesAsync(new DiskLayout(h.Root).FileFor(StoreKey.ForVersion(M.Path, ArtifactKind.Zip, M.Version))));
    }

    [Fact]
    public async Task Resolve_LargeZipBiggerThanTheFreeSpace_ClearStorageFailureBeforeAnyByteIsPromised()
    {
        // A zip streamed to the client as it downloads has promised 200 and its length; a disk filling up halfway
        // could then only cut the body. With the length announced and too little room, the answer is a clean failure.
        await using var up = FakeUpstream.Files(TestModule.Layout(M));
        var h = Harness.Over(up.Url, new FullDisk(free: M.Zip.Length - 1), streamed: true);

        var r = await h.GetAsync(ArtifactKind.Zip).WaitAsync(Bound);

        Assert.Equal(ResolveOutcome.StorageFailed, r.Outcome);
        Assert.Contains("cannot store", r.Reason);
        Assert.Contains($"{M.Zip.Length} bytes", r.Reason);
        Assert.Contains("free", r.Reason);
        await h.SettledAsync();
        Assert.Equal(1, up.CountRequests(".zip"));
        Assert.Null(h.Source.Status.LastFailure);
        Assert.Empty(Directory.EnumerateFiles(h.Root, "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData(ArtifactKind.List)]
    [InlineData(ArtifactKind.Latest)]
    [InlineData(ArtifactKind.Info)]
    [InlineData(ArtifactKind.Mod)]
    public async Task Resolve_DiskFullWhenSavingSmallArtifact_ServesTheVerifiedUpstreamBytesUncached(ArtifactKind kind)
    {
        var layout = TestModule.Layout(M);
        layout[M.Path.Escaped + "/@latest"] = System.Text.Encoding.UTF8.GetBytes(M.Info);
        await using var up = FakeUpstream.Files(layout);
        var h = Harness.Over(up.Url, new FullDisk(free: 0), streamed: false);

        var r = await h.GetAsync(kind).WaitAsync(Bound);
        await h.SettledAsync();

        var expected = kind switch
        {
            ArtifactKind.Mod => M.Mod,
            ArtifactKind.List => layout[M.Path.Escaped + "/@v/list"],
            _ => System.Text.Encoding.UTF8.GetBytes(M.Info),
        };
        Assert.Equal(expected, await ResolverHarness.ReadAsync(r));
        Assert.Empty(Directory.EnumerateFiles(h.Root, "*", SearchOption.AllDirectories));
        Assert.DoesNotContain(h.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
        Assert.Contains(h.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("No space left on device", StringComparison.Ordinal));
    }

    private sealed class Harness
    {
        private Harness(string root, UpstreamProxySource source, ModuleResolver resolver, ListLoggerFactory logs)
        {
            Root = root;
            Source = source;
            Resolver = resolver;
            Logs = logs;
        }

        public string Root { get; }

        public UpstreamProxySource Source { get; }

        public ModuleResolver Resolver { get; }

        public ListLoggerFactory Logs { get; }

        /// <param name="knowsFreeSpace">False: the store sees room when the download starts, and the disk fills during it (another writer).</param>
        public static Harness Over(string url, FullDisk disk, bool streamed, bool knowsFreeSpace = true)
        {
            var root = TestEnvironment.NewTempDir("full-disk-resolver");
            var time = new ManualTimeProvider();
            var store = DiskModuleStore.Open(new DiskModuleStoreOptions { Root = root, CreateTempFile = disk.Create, AvailableSpace = _ => knowsFreeSpace ? disk.Free : long.MaxValue }, time);
            var source = UpstreamProxySourceTests.Source(url);
            var logs = new ListLoggerFactory();
            var resolver = ResolverHarness.Build(store, source, new ModuleResolverOptions { StreamZipsFrom = streamed ? 0 : long.MaxValue, Prefetch = PrefetchKinds.None }, time, logs);
            return new Harness(root, source, resolver, logs);
        }

        public Task<ResolveResult> GetAsync(ArtifactKind kind) =>
            Resolver.ResolveAsync(new ModuleRequest(M.Path, kind, kind is ArtifactKind.List or ArtifactKind.Latest ? null : M.Version.Value), CancellationToken.None);

        public Task SettledAsync() => SingleFlightTests.WaitUntilAsync(() => Resolver.FetchesInProgress == 0);
    }
}
