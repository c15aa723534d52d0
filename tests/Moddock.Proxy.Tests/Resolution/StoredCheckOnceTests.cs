using Moddock.Proxy.Resolution;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Tests.Support;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Resolution;

/// <summary>
/// The read check of a stored zip reads all of it (to compare its digest), so it runs once per artifact and
/// process, also for many requests arriving together after a restart. Counted as the opens through the store's own reader, which only the check uses
/// (answers open the stored file by its path, for sendfile).
/// </summary>
public sealed class StoredCheckOnceTests
{
    private static readonly TestModule M = TestModule.Large("example.com/once", "v1.0.0", 64);

    [Fact]
    public async Task Resolve_ManyFirstHitsAtOnceAfterARestart_OneCheckReadsTheZip()
    {
        var root = TestEnvironment.NewTempDir("once-restart");
        var first = ResolverHarness.Build(DiskModuleStore.Open(new DiskModuleStoreOptions { Root = root }, TimeProvider.System), new FakeSource("up", M), new ModuleResolverOptions { Prefetch = PrefetchKinds.None });
        await ResolverHarness.ReadAsync(await Get(first));
        await SingleFlightTests.WaitUntilAsync(() => first.FetchesInProgress == 0);

        // A new process on the same storage: it has checked nothing yet.
        var store = new OpenCountingStore(DiskModuleStore.Open(new DiskModuleStoreOptions { Root = root }, TimeProvider.System));
        var source = new FakeSource("up", M);
        var restarted = ResolverHarness.Build(store, source, new ModuleResolverOptions { Prefetch = PrefetchKinds.None });
        var hits = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Get(restarted))));

        foreach (var hit in hits)
        {
            Assert.Equal(CacheStatus.Hit, hit.Cache);
            Assert.Equal(M.Zip, await ResolverHarness.ReadAsync(hit));
        }

        Assert.Equal(0, source.ZipCalls);
        Assert.Equal(1, store.Opens);
    }

    private static Task<ResolveResult> Get(ModuleResolver resolver) =>
        resolver.ResolveAsync(new ModuleRequest(M.Path, ArtifactKind.Zip, M.Version.Value), CancellationToken.None);

    /// <summary>The disk store, counting how often a stored zip is opened through its reader.</summary>
    private sealed class OpenCountingStore(IModuleStore inner) : DelegatingStore(inner)
    {
        private int _opens;

        public int Opens => Volatile.Read(ref _opens);

        public override async ValueTask<StoredArtifact?> TryGetAsync(StoreKey key, CancellationToken ct)
        {
            var stored = await base.TryGetAsync(key, ct);
            return stored is null || key.Kind != ArtifactKind.Zip
                ? stored
                : stored with { Open = c => { Interlocked.Increment(ref _opens); return stored.Open(c); } };
        }
    }
}
