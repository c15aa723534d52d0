using Moddock.Modules;
using Moddock.Proxy.Resolution;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Tests.Support;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Resolution;

/// <summary>
/// A zip is answered before its durable commit. If that commit then fails (here: the storage tree is deleted under
/// the running server, as an operator clearing the cache would), the bytes already promised were verified and are
/// still held open: the responses under way must get them whole. Only the cache entry is lost, and the next request
/// fetches and stores the zip again.
/// </summary>
public sealed class CommitFailureTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Resolve_CommitFailsAfterTheZipWasAnswered_ReadersStillGetTheVerifiedBytesAndTheNextRequestStoresIt(bool streamed)
    {
        var m = TestModule.Large("example.com/vanish", "v1.0.0", 64);
        var root = TestEnvironment.NewTempDir("commit-failure");
        var store = new VanishingStore(DiskModuleStore.Open(new DiskModuleStoreOptions { Root = root }, new ManualTimeProvider()), Path.Combine(root, "example.com"));
        var source = new FakeSource("up", m) { AnnounceLength = true };
        var resolver = ResolverHarness.Build(store, source, new ModuleResolverOptions { StreamZipsFrom = streamed ? 0 : long.MaxValue, Prefetch = PrefetchKinds.None });
        var request = new ModuleRequest(m.Path, ArtifactKind.Zip, m.Version.Value);

        var r = await resolver.ResolveAsync(request, CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(ResolveOutcome.Found, r.Outcome);
        await using var reader = r.Content!.Open(default);
        await store.CommitReached.Task.WaitAsync(Bound);
        store.ReleaseCommit.SetResult();
        await store.CommitEnded.Task.WaitAsync(Bound);

        Assert.Equal(m.Zip, await ReadToEndAsync(reader));
        await SingleFlightTests.WaitUntilAsync(() => resolver.FetchesInProgress == 0).WaitAsync(Bound);
        Assert.Empty(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories));

        var again = await resolver.ResolveAsync(request, CancellationToken.None).WaitAsync(Bound);
        await using (var s = again.Content!.Open(default))
        {
            Assert.Equal(m.Zip, await ReadToEndAsync(s));
        }

        await SingleFlightTests.WaitUntilAsync(() => resolver.FetchesInProgress == 0).WaitAsync(Bound);
        var hit = await resolver.ResolveAsync(request, CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(CacheStatus.Hit, hit.Cache);
        Assert.Equal(m.Zip, await File.ReadAllBytesAsync(hit.Content!.FilePath!));
        Assert.Equal(2, source.ZipCalls);
    }

    private static async Task<byte[]> ReadToEndAsync(Stream s)
    {
        using var buffer = new MemoryStream();
        await s.CopyToAsync(buffer).WaitAsync(Bound);
        return buffer.ToArray();
    }

    /// <summary>A disk store whose first staged commit finds the module's storage tree deleted.</summary>
    private sealed class VanishingStore(DiskModuleStore inner, string tree) : DelegatingStore(inner)
    {
        private int _commits;

        public string Tree => tree;

        public TaskCompletionSource CommitReached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReleaseCommit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource CommitEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async ValueTask<StoredArtifact> CommitAsync(IStagedArtifact staged, CancellationToken ct)
        {
            if (Interlocked.Increment(ref _commits) > 1)
            {
                return await staged.CommitAsync(ct);
            }

            CommitReached.TrySetResult();
            await ReleaseCommit.Task.WaitAsync(Bound, ct);
            Directory.Delete(Tree, recursive: true);
            try
            {
                return await staged.CommitAsync(ct);
            }
            finally
            {
                CommitEnded.TrySetResult();
            }
        }
    }
}
