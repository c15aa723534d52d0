using Moddock.Proxy.Sources;
using Moddock.Proxy.Tests.Resolution;
using Moddock.Proxy.Tests.Support;

namespace Moddock.Proxy.Tests.Prefetch;

public sealed class PrefetcherTests
{
    private static readonly TestModule A = TestModule.Requiring("example.com/a", "v1.0.0", "example.com/b v1.1.0", "example.com/c v0.2.0 // indirect", "example.com/a/v2 v2.0.0");
    private static readonly TestModule B = TestModule.Requiring("example.com/b", "v1.1.0", "example.com/d v1.0.0");
    private static readonly TestModule C = new("example.com/c", "v0.2.0");
    private static readonly TestModule D = new("example.com/d", "v1.0.0");

    /// <summary>A resolver over the source reading requirements and zips ahead (the .info kind has its own tests).</summary>
    private static ResolverHarness On(FakeSource source) =>
        new([ChainEntry.Upstream(source, fallBackOnAnyError: false)], new ModuleResolverOptions { Prefetch = PrefetchKinds.Requirements | PrefetchKinds.Zips });

    [Fact]
    public void Options_Default_ReadsRequirementsInfosAndZipsAhead()
    {
        Assert.Equal(PrefetchKinds.Requirements | PrefetchKinds.Infos | PrefetchKinds.Zips, new ModuleResolverOptions().Prefetch);
    }

    [Fact]
    public async Task Resolve_ModWithInfosEnabled_ReadsItsInfoAheadButNotItsZip()
    {
        var source = new FakeSource("up", A, B, C, D);
        var h = new ResolverHarness([ChainEntry.Upstream(source, fallBackOnAnyError: false)], new ModuleResolverOptions { Prefetch = PrefetchKinds.Infos | PrefetchKinds.Zips });

        await h.GetAsync(C, ArtifactKind.Mod);
        await SingleFlightTests.WaitUntilAsync(() => h.Resolver.PrefetchStatus.Fetched == 1);
        await h.SettledAsync();

        // The .info read ahead is not a client's .info: no zip follows it until a client asks.
        Assert.Equal(["mod example.com/c@v0.2.0", "info example.com/c@v0.2.0"], source.Requests);
        var info = await h.GetAsync(C, ArtifactKind.Info);
        Assert.Equal(CacheStatus.Hit, info.Cache);
        Assert.Equal(C.Info, System.Text.Encoding.UTF8.GetString(await ResolverHarness.ReadAsync(info)));
    }

    [Fact]
    public async Task NoteInfoRequested_CachedInfoAskedByAClient_ReadsTheZipAhead()
    {
        var source = new FakeSource("up", C);
        var h = new ResolverHarness([ChainEntry.Upstream(source, fallBackOnAnyError: false)], new ModuleResolverOptions { Prefetch = PrefetchKinds.Infos | PrefetchKinds.Zips });

        // What the server does when its memory cache answers a client's .info: the resolver never saw it.
        h.Resolver.NoteInfoRequested(C.Path, C.Version);
        await SingleFlightTests.WaitUntilAsync(() => h.Resolver.PrefetchStatus.Fetched == 1);
        await h.SettledAsync();

        Assert.Equal(["zip example.com/c@v0.2.0"], source.Requests);
        Assert.Equal(CacheStatus.Hit, (await h.GetAsync(C, ArtifactKind.Zip)).Cache);
    }

    [Fact]
    public async Task Resolve_ModWithRequirements_FetchesEachRequiredModOnceAhead()
    {
        var source = new FakeSource("up", A, B, C, D);
        var h = On(source);

        await h.GetAsync(A, ArtifactKind.Mod);
        await SingleFlightTests.WaitUntilAsync(() => h.Resolver.PrefetchStatus.Fetched + h.Resolver.PrefetchStatus.Failed == 3);
        await h.SettledAsync();

        // The source was asked for each exactly once; example.com/a/v2 does not exist there (a failed prefetch).
        Assert.Equal(["mod example.com/a/v2@v2.0.0", "mod example.com/a@v1.0.0", "mod example.com/b@v1.1.0", "mod example.com/c@v0.2.0"], source.Requests.Order(StringComparer.Ordinal));

        // b and c were stored before anyone asked: the client's requests are hits, and the source is not asked again.
        var b = await h.GetAsync(B, ArtifactKind.Mod);
        Assert.Equal(CacheStatus.Hit, b.Cache);
        Assert.Equal(B.Mod, await ResolverHarness.ReadAsync(b));
        Assert.Equal(CacheStatus.Hit, (await h.GetAsync(C, ArtifactKind.Mod)).Cache);
        Assert.Single(source.Requests, r => r == "mod example.com/b@v1.1.0");
        Assert.Single(source.Requests, r => r == "mod example.com/c@v0.2.0");
        var status = h.Resolver.PrefetchStatus;
        Assert.True(status.Enabled);
        Assert.True(status.Fetched >= 2, $"fetched {status.Fetched}");
        Assert.Equal(1, status.Failed);
        Assert.Equal(0, status.Dropped);
    }

    [Fact]
    public async Task Resolve_PrefetchedMod_ItsOwnRequirementsAreNotFetched()
    {
        var source = new FakeSource("up", A, B, C, D);
        var h = On(source);

        await h.GetAsync(A, ArtifactKind.Mod);
        await SingleFlightTests.WaitUntilAsync(() => h.Resolver.PrefetchStatus.Fetched + h.Resolver.PrefetchStatus.Failed == 3);
        await h.SettledAsync();

        // One level only: b's requirement d is left until a client reads b's go.mod.
        Assert.DoesNotContain("mod example.com/d@v1.0.0", source.Requests);
        await h.GetAsync(B, ArtifactKind.Mod);
        await SingleFlightTests.WaitUntilAsync(() => source.Requests.Contains("mod example.com/d@v1.0.0"));
        await h.SettledAsync();
        Assert.Equal(CacheStatus.Hit, (await h.GetAsync(D, ArtifactKind.Mod)).Cache);
    }

    [Fact]
    public async Task Resolve_SameModAskedAgain_RequirementsOfferedOnce()
    {
        var source = new FakeSource("up", A, B, C, D);
        var h = On(source);

        await h.GetAsync(A, ArtifactKind.Mod);
        await SingleFlightTests.WaitUntilAsync(() => h.Resolver.PrefetchStatus.Fetched + h.Resolver.PrefetchStatus.Failed == 3);
        await h.SettledAsync();
        var queued = h.Resolver.PrefetchStatus.Queued;

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(CacheStatus.Hit, (await h.GetAsync(A, ArtifactKind.Mod)).Cache);
        }

        Assert.Equal(queued, h.Resolver.PrefetchStatus.Queued);
    }

    [Fact]
    public async Task Resolve_CanonicalInfo_FetchesTheZipAheadAndServesItAsAHit()
    {
        var source = new FakeSource("up", C);
        var h = On(source);

        var info = await h.GetAsync(C, ArtifactKind.Info);
        Assert.Equal(ResolveOutcome.Found, info.Outcome);
        await SingleFlightTests.WaitUntilAsync(() => h.Resolver.PrefetchStatus.Fetched == 1);
        await h.SettledAsync();

        var zip = await h.GetAsync(C, ArtifactKind.Zip);
        Assert.Equal(CacheStatus.Hit, zip.Cache);
        Assert.Equal(C.Zip, await ResolverHarness.ReadAsync(zip));
        Assert.Equal(1, source.ZipCalls);
    }

    [Fact]
    public async Task Resolve_InfoOfABranchQuery_NoZipPrefetched()
    {
        var source = new FakeSource("up", C);
        var h = On(source);

        var info = await h.GetAsync(C.Path, ArtifactKind.Info, "main");
        Assert.Equal(ResolveOutcome.Found, info.Outcome);
        await h.SettledAsync();

        // A query's version is only known from the answer; a query is not what go mod download asks before a zip.
        Assert.Equal(0, h.Resolver.PrefetchStatus.Queued);
        Assert.Equal(0, source.ZipCalls);
    }

    [Fact]
    public async Task Resolve_PrefetchOff_OnlyWhatClientsAskIsFetched()
    {
        var source = new FakeSource("up", A, B, C, D);
        var h = new ResolverHarness([ChainEntry.Upstream(source, fallBackOnAnyError: false)], new ModuleResolverOptions { Prefetch = PrefetchKinds.None });

        await h.GetAsync(A, ArtifactKind.Mod);
        await h.GetAsync(A, ArtifactKind.Info);
        await h.SettledAsync();

        Assert.Equal(["mod example.com/a@v1.0.0", "info example.com/a@v1.0.0"], source.Requests);
        Assert.False(h.Resolver.PrefetchStatus.Enabled);
    }

    [Fact]
    public async Task Resolve_OnlyZipsEnabled_RequirementsNotFetched()
    {
        var source = new FakeSource("up", A, B, C, D);
        var h = new ResolverHarness([ChainEntry.Upstream(source, fallBackOnAnyError: false)], new ModuleResolverOptions { Prefetch = PrefetchKinds.Zips });

        await h.GetAsync(A, ArtifactKind.Mod);
        await h.GetAsync(A, ArtifactKind.Info);
        await SingleFlightTests.WaitUntilAsync(() => h.Resolver.PrefetchStatus.Fetched == 1);
        await h.SettledAsync();

        Assert.Equal(["mod example.com/a@v1.0.0", "info example.com/a@v1.0.0", "zip example.com/a@v1.0.0"], source.Requests);
    }

    [Fact]
    public void Resolve_Offline_NoPrefetcher()
    {
        var h = new ResolverHarness([ChainEntry.Upstream(new FakeSource("up", A), fallBackOnAnyError: false)], new ModuleResolverOptions { Offline = true });

        Assert.False(h.Resolver.PrefetchStatus.Enabled);
    }

    [Fact]
    public async Task Resolve_RequirementMissingUpstream_NotFoundRememberedForTheClient()
    {
        var source = new FakeSource("up", A, B, C);
        var h = On(source);

        await h.GetAsync(A, ArtifactKind.Mod);
        await SingleFlightTests.WaitUntilAsync(() => h.Resolver.PrefetchStatus.Fetched + h.Resolver.PrefetchStatus.Failed == 3);
        await h.SettledAsync();

        // The prefetch's not-found is the same answer the client would have got, remembered for the TTL.
        var v2 = await h.GetAsync(Moddock.Modules.ModulePath.Parse("example.com/a/v2"), ArtifactKind.Mod, "v2.0.0");
        Assert.Equal(ResolveOutcome.NotFound, v2.Outcome);
        Assert.Equal(CacheStatus.Hit, v2.Cache);
        Assert.Single(source.Requests, r => r == "mod example.com/a/v2@v2.0.0");
    }

    [Fact]
    public async Task Resolve_ClientAsksWhilePrefetchRuns_OneFetchForBoth()
    {
        var source = new FakeSource("up", C) { ZipGate = new TaskCompletionSource() };
        var h = On(source);

        await h.GetAsync(C, ArtifactKind.Info);
        await SingleFlightTests.WaitUntilAsync(() => source.ZipCalls == 1);

        // The prefetch holds the zip's flight; the client joins it instead of fetching again.
        var client = h.GetAsync(C, ArtifactKind.Zip);
        source.ZipGate.SetResult();
        var zip = await client;
        Assert.Equal(C.Zip, await ResolverHarness.ReadAsync(zip));
        await h.SettledAsync();
        Assert.Equal(1, source.ZipCalls);
    }

    [Fact]
    public async Task Dispose_WithWorkQueued_StopsWithoutFailingAndLaterOffersAreIgnored()
    {
        var source = new FakeSource("up", A, B, C, D) { ZipGate = new TaskCompletionSource() };
        var h = On(source);
        await h.GetAsync(D, ArtifactKind.Info);
        await SingleFlightTests.WaitUntilAsync(() => source.ZipCalls == 1);

        h.Resolver.Dispose();
        source.ZipGate.SetResult();
        await h.SettledAsync();
        await h.GetAsync(A, ArtifactKind.Mod);
        await h.SettledAsync();

        // The zip flight that was running finished and was stored; nothing new was queued after the stop.
        Assert.Equal(CacheStatus.Hit, (await h.GetAsync(D, ArtifactKind.Zip)).Cache);
        Assert.DoesNotContain("mod example.com/b@v1.1.0", source.Requests);
    }
}
