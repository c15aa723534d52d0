using System.Text;
using Moddock.Modules;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Tests.Support;

namespace Moddock.Proxy.Tests.Resolution;

public sealed class ModuleResolverTests
{
    private static readonly TestModule A1 = new("example.com/a", "v1.0.0");
    private static readonly TestModule A2 = new("example.com/a", "v1.1.0");

    [Fact]
    public async Task Resolve_ZipMiss_FetchesStoresAndServesTheStoredFile()
    {
        var source = new FakeSource("up", A1);
        var h = ResolverHarness.Over(source);

        var first = await h.GetAsync(A1, ArtifactKind.Zip);
        Assert.Equal(CacheStatus.Miss, first.Cache);
        Assert.Equal("up", first.Upstream);
        Assert.Equal(A1.Zip, await ResolverHarness.ReadAsync(first));

        await h.SettledAsync();
        var second = await h.GetAsync(A1, ArtifactKind.Zip);
        Assert.Equal(CacheStatus.Hit, second.Cache);
        Assert.NotNull(second.Content!.FilePath);
        Assert.Equal(A1.Zip, await File.ReadAllBytesAsync(second.Content.FilePath));
        Assert.Equal("application/zip", second.Content.ContentType);
        Assert.Equal(1, source.ZipCalls);
    }

    [Fact]
    public async Task Resolve_InfoAndMod_ServedWithGoproxyContentTypesAndUnchangedBytes()
    {
        var h = ResolverHarness.Over(new FakeSource("up", A1));

        var info = await h.GetAsync(A1, ArtifactKind.Info);
        var mod = await h.GetAsync(A1, ArtifactKind.Mod);

        Assert.Equal("application/json", info.Content!.ContentType);
        Assert.Equal(A1.Info, Encoding.UTF8.GetString(await ResolverHarness.ReadAsync(info)));
        Assert.Equal("text/plain; charset=utf-8", mod.Content!.ContentType);
        Assert.Equal(A1.Mod, await ResolverHarness.ReadAsync(mod));
    }

    [Fact]
    public async Task Resolve_TamperedInfoVersion_RefusedAndNotStored()
    {
        var source = new FakeSource("up", A1) { InfoVersionOverride = "v1.0.1" };
        var h = ResolverHarness.Over(source);

        var r = await h.GetAsync(A1, ArtifactKind.Info);

        Assert.Equal(ResolveOutcome.Refused, r.Outcome);
        Assert.Contains("v1.0.1", r.Reason);
        Assert.Empty(await h.Store.ListVersionsAsync(A1.Path, default));
    }

    [Fact]
    public async Task Resolve_InfoQueryNotCanonical_AnsweredWithResolvedVersionAndStoredUnderIt()
    {
        var source = new FakeSource("up", A1, A2);
        var h = ResolverHarness.Over(source);

        var r = await h.GetAsync(A1.Path, ArtifactKind.Info, "v1.1");

        Assert.Contains("\"Version\":\"v1.1.0\"", Encoding.UTF8.GetString(await ResolverHarness.ReadAsync(r)));
        await h.SettledAsync();
        var cached = await h.GetAsync(A2, ArtifactKind.Info);
        Assert.Equal(CacheStatus.Hit, cached.Cache);
    }

    [Fact]
    public async Task Resolve_ZipFailingModuleZipChecks_RefusedAndNotStored()
    {
        var wrong = new TestModule("example.com/other", "v1.0.0");
        var source = new FakeSource("up", A1) { ZipOverride = wrong.Zip };
        var h = ResolverHarness.Over(source);

        var r = await h.GetAsync(A1, ArtifactKind.Zip);

        Assert.Equal(ResolveOutcome.Refused, r.Outcome);
        Assert.Contains("zip checks", r.Reason);
        Assert.Null(await h.Store.TryGetAsync(Proxy.Storage.StoreKey.ForVersion(A1.Path, ArtifactKind.Zip, A1.Version), default));
    }

    [Fact]
    public async Task Resolve_ZipThatIsNoZipAtAll_RefusedWithoutNamingTheServersFiles()
    {
        var source = new FakeSource("up", A1) { ZipOverride = "PK not a zip"u8.ToArray() };
        var h = ResolverHarness.Over(source);

        var r = await h.GetAsync(A1, ArtifactKind.Zip);

        Assert.Equal(ResolveOutcome.Refused, r.Outcome);
        Assert.Contains("not a valid zip file", r.Reason);

        // The reason goes to the client: the store's temporary file is none of its business.
        Assert.DoesNotContain(h.Root, r.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", r.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ArtifactKind.Info)]
    [InlineData(ArtifactKind.Latest)]
    public async Task Resolve_TamperedInfoBeforePipe_NextUpstreamAnswers(ArtifactKind kind)
    {
        // cmd/go proxyRepo.Stat refuses a .info for another version inside TryProxies, so '|' moves on to the next proxy.
        var liar = new FakeSource("liar", A1) { InfoVersionOverride = "v9.9.9" };
        var honest = new FakeSource("honest", A1);
        var h = new ResolverHarness([ChainEntry.Upstream(liar, fallBackOnAnyError: true), ChainEntry.Upstream(honest, fallBackOnAnyError: false)]);

        var r = kind == ArtifactKind.Info ? await h.GetAsync(A1, ArtifactKind.Info) : await h.GetAsync(A1.Path, ArtifactKind.Latest);

        Assert.Equal(ResolveOutcome.Found, r.Outcome);
        Assert.Equal("honest", r.Upstream);
        Assert.Contains("\"Version\":\"v1.0.0\"", Encoding.UTF8.GetString(await ResolverHarness.ReadAsync(r)));
    }

    [Fact]
    public async Task Resolve_GoModNamingAnotherModuleBeforePipe_NextUpstreamAnswers()
    {
        var liarSource = new FakeSource("liar", A1);
        liarSource.Modules[0] = new TestModule("example.com/b", "v1.0.0");
        var honest = new FakeSource("honest", A1);
        var h = new ResolverHarness([ChainEntry.Upstream(new RenamingSource(liarSource, A1.Path), fallBackOnAnyError: true), ChainEntry.Upstream(honest, fallBackOnAnyError: false)]);

        var r = await h.GetAsync(A1, ArtifactKind.Mod);

        Assert.Equal(ResolveOutcome.Found, r.Outcome);
        Assert.Equal("honest", r.Upstream);
        Assert.Equal(A1.Mod, await ResolverHarness.ReadAsync(r));
    }

    [Fact]
    public async Task Resolve_BadZipBeforePipe_NextUpstreamsZipServedAndStored()
    {
        var liar = new FakeSource("liar", A1) { ZipOverride = "PK not a zip"u8.ToArray() };
        var honest = new FakeSource("honest", A1);
        var h = new ResolverHarness([ChainEntry.Upstream(liar, fallBackOnAnyError: true), ChainEntry.Upstream(honest, fallBackOnAnyError: false)]);

        var r = await h.GetAsync(A1, ArtifactKind.Zip);

        Assert.Equal(ResolveOutcome.Found, r.Outcome);
        Assert.Equal("honest", r.Upstream);
        Assert.Equal(A1.Zip, await ResolverHarness.ReadAsync(r));
        await h.SettledAsync();
        Assert.Equal(A1.Zip, await File.ReadAllBytesAsync(Path.Combine(h.Root, "example.com/a/@v/v1.0.0.zip")));
    }

    [Fact]
    public async Task Resolve_BadZipBeforeComma_RefusedNextUpstreamNotAsked()
    {
        var liar = new FakeSource("liar", A1) { ZipOverride = "PK not a zip"u8.ToArray() };
        var honest = new FakeSource("honest", A1);
        var h = new ResolverHarness([ChainEntry.Upstream(liar, fallBackOnAnyError: false), ChainEntry.Upstream(honest, fallBackOnAnyError: false)]);

        var r = await h.GetAsync(A1, ArtifactKind.Zip);

        Assert.Equal(ResolveOutcome.Refused, r.Outcome);
        Assert.Contains("zip checks", r.Reason);
        Assert.Equal(0, honest.ZipCalls);
    }

    [Fact]
    public async Task Resolve_TamperedInfoBeforeComma_RefusedNextUpstreamNotAsked()
    {
        var liar = new FakeSource("liar", A1) { InfoVersionOverride = "v1.0.1" };
        var honest = new FakeSource("honest", A1);
        var h = new ResolverHarness([ChainEntry.Upstream(liar, fallBackOnAnyError: false), ChainEntry.Upstream(honest, fallBackOnAnyError: false)]);

        var r = await h.GetAsync(A1, ArtifactKind.Info);

        Assert.Equal(ResolveOutcome.Refused, r.Outcome);
        Assert.Contains("does not match the version asked for", r.Reason);
        Assert.Equal(0, honest.Calls);
    }

    [Fact]
    public async Task Resolve_GoModNamingAnotherModule_Refused()
    {
        var liar = new TestModule("example.com/a", "v1.2.0");
        var source = new FakeSource("up", liar);
        source.Modules[0] = new TestModule("example.com/b", "v1.2.0");
        var h = ResolverHarness.Over(new RenamingSource(source, liar.Path));

        var r = await h.GetAsync(liar, ArtifactKind.Mod);

        Assert.Equal(ResolveOutcome.Refused, r.Outcome);
        Assert.Contains("declares module example.com/b", r.Reason);
        Assert.Null(await h.Store.TryGetAsync(Proxy.Storage.StoreKey.ForVersion(liar.Path, ArtifactKind.Mod, liar.Version), default));
    }

    [Fact]
    public async Task Resolve_NotFound_CachedForTheTtlThenAskedAgain()
    {
        var source = new FakeSource("up");
        var h = ResolverHarness.Over(source);
        var path = ModulePath.Parse("example.com/missing");

        Assert.Equal(ResolveOutcome.NotFound, (await h.GetAsync(path, ArtifactKind.List)).Outcome);
        var again = await h.GetAsync(path, ArtifactKind.List);
        Assert.Equal(ResolveOutcome.NotFound, again.Outcome);
        Assert.Equal(CacheStatus.Hit, again.Cache);
        Assert.Equal(1, source.Calls);

        h.Time.Advance(TimeSpan.FromSeconds(61));
        await h.GetAsync(path, ArtifactKind.List);
        Assert.Equal(2, source.Calls);
    }

    [Fact]
    public async Task Resolve_ListWithinTtl_HitThenRefreshedAfterTtl()
    {
        var source = new FakeSource("up", A1);
        var h = ResolverHarness.Over(source);

        await h.GetAsync(A1.Path, ArtifactKind.List);
        Assert.Equal(CacheStatus.Hit, (await h.GetAsync(A1.Path, ArtifactKind.List)).Cache);
        Assert.Equal(1, source.Calls);

        source.Modules.Add(A2);
        h.Time.Advance(TimeSpan.FromSeconds(61));
        var refreshed = await h.GetAsync(A1.Path, ArtifactKind.List);
        Assert.Equal(CacheStatus.Miss, refreshed.Cache);
        Assert.Equal("v1.0.0\nv1.1.0\n", Encoding.UTF8.GetString(await ResolverHarness.ReadAsync(refreshed)));
    }

    [Fact]
    public async Task Resolve_ListWhenEveryUpstreamFails_ServesStaleCopy()
    {
        var source = new FakeSource("up", A1);
        var h = ResolverHarness.Over(source);
        await h.GetAsync(A1.Path, ArtifactKind.List);
        await h.GetAsync(A1.Path, ArtifactKind.Latest);

        source.FailWith = new SourceFailure(SourceFailureKind.Refused, "connection refused by up");
        h.Time.Advance(TimeSpan.FromMinutes(10));
        var list = await h.GetAsync(A1.Path, ArtifactKind.List);
        var latest = await h.GetAsync(A1.Path, ArtifactKind.Latest);

        Assert.Equal(CacheStatus.Stale, list.Cache);
        Assert.True(list.Content!.Stale);
        Assert.Equal("v1.0.0\n", Encoding.UTF8.GetString(await ResolverHarness.ReadAsync(list)));
        Assert.Equal(CacheStatus.Stale, latest.Cache);
    }

    [Fact]
    public async Task Resolve_ListDerived_IncludesStoredVersionsTheUpstreamListLacks()
    {
        var source = new FakeSource("up", A1, A2);
        var h = ResolverHarness.Over(source);
        await h.GetAsync(A2, ArtifactKind.Info);
        await h.SettledAsync(); // the .info is answered before it is stored
        source.Modules.Remove(A2);

        var list = await h.GetAsync(A1.Path, ArtifactKind.List);

        Assert.Equal("v1.0.0\nv1.1.0\n", Encoding.UTF8.GetString(await ResolverHarness.ReadAsync(list)));
    }

    [Fact]
    public async Task Resolve_TerminalFailureAfterComma_UpstreamFailedWithReasonNeverNotFound()
    {
        var broken = new FakeSource("broken") { FailWith = new SourceFailure(SourceFailureKind.Status, "broken answered 500 Internal Server Error: boom", 500) };
        var good = new FakeSource("good", A1);
        var h = ResolverHarness.Over(broken, good);

        var r = await h.GetAsync(A1, ArtifactKind.Mod);

        Assert.Equal(ResolveOutcome.UpstreamFailed, r.Outcome);
        Assert.Contains("500", r.Reason);
        Assert.Equal(0, good.Calls);
    }

    [Theory]
    [InlineData("v1.1", "v1.1.0")]
    [InlineData("v1", "v1.1.0")]
    [InlineData("v2.0.0", "v2.0.0+incompatible")]
    [InlineData("v3", "v3.0.0-rc.1+incompatible")]
    public async Task Resolve_OfflineQueryTheStoredVersionsAnswer_ServedFromTheStoredInfo(string query, string expected)
    {
        var stored = new[] { A1, A2, new TestModule("example.com/a", "v2.0.0+incompatible"), new TestModule("example.com/a", "v3.0.0-rc.1+incompatible") };
        var online = ResolverHarness.Over(new FakeSource("up", stored));
        foreach (var m in stored)
        {
            Assert.Equal(ResolveOutcome.Found, (await online.GetAsync(m, ArtifactKind.Info)).Outcome);
        }

        await online.SettledAsync();
        var offline = new ResolverHarness([], new ModuleResolverOptions { Offline = true, Prefetch = PrefetchKinds.None }, root: online.Root);

        var r = await offline.GetAsync(A1.Path, ArtifactKind.Info, query);

        Assert.Equal(ResolveOutcome.Found, r.Outcome);
        Assert.Contains($"\"Version\":\"{expected}\"", Encoding.UTF8.GetString(await ResolverHarness.ReadAsync(r)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("main")]
    [InlineData("v1.2")]
    [InlineData("v4.0.0")]
    public async Task Resolve_OfflineQueryTheStoredVersionsCannotAnswer_NotFound(string query)
    {
        var online = ResolverHarness.Over(new FakeSource("up", A1));
        await online.GetAsync(A1, ArtifactKind.Info);
        await online.SettledAsync();
        var offline = new ResolverHarness([], new ModuleResolverOptions { Offline = true, Prefetch = PrefetchKinds.None }, root: online.Root);

        var r = await offline.GetAsync(A1.Path, ArtifactKind.Info, query);

        Assert.Equal(ResolveOutcome.NotFound, r.Outcome);
        Assert.Contains("offline", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolve_Offline_ServesCacheAndAnswersEverythingElseNotFoundAtOnce()
    {
        var source = new FakeSource("up", A1, A2);
        var online = ResolverHarness.Over(source);
        await online.GetAsync(A1, ArtifactKind.Info);
        await online.GetAsync(A1, ArtifactKind.Zip);
        var calls = source.Calls;
        await online.SettledAsync();

        var offline = new ResolverHarness([ChainEntry.Upstream(source, false)], new ModuleResolverOptions { Offline = true }, root: online.Root);

        Assert.Equal(A1.Zip, await ResolverHarness.ReadAsync(await offline.GetAsync(A1, ArtifactKind.Zip)));
        Assert.Equal("v1.0.0\n", Encoding.UTF8.GetString(await ResolverHarness.ReadAsync(await offline.GetAsync(A1.Path, ArtifactKind.List))));
        Assert.Contains("v1.0.0", Encoding.UTF8.GetString(await ResolverHarness.ReadAsync(await offline.GetAsync(A1.Path, ArtifactKind.Latest))));
        Assert.Equal(ResolveOutcome.NotFound, (await offline.GetAsync(A2, ArtifactKind.Zip)).Outcome);
        Assert.Equal(ResolveOutcome.NotFound, (await offline.GetAsync(ModulePath.Parse("example.com/nope"), ArtifactKind.List)).Outcome);
        Assert.Equal(calls, source.Calls);
    }

    [Theory]
    [InlineData(ArtifactKind.Zip, "v1.0", ResolveOutcome.NotFound)]
    [InlineData(ArtifactKind.Mod, "master", ResolveOutcome.BadRequest)]
    [InlineData(ArtifactKind.Info, "", ResolveOutcome.BadRequest)]
    [InlineData(ArtifactKind.Info, "a/../../b", ResolveOutcome.BadRequest)]
    [InlineData(ArtifactKind.Zip, "v2.0.0", ResolveOutcome.NotFound)]
    public async Task Resolve_BadVersion_RejectedBeforeAnySource(ArtifactKind kind, string query, ResolveOutcome expected)
    {
        var source = new FakeSource("up", A1);
        var h = ResolverHarness.Over(source);

        var r = await h.GetAsync(A1.Path, kind, query);

        Assert.Equal(expected, r.Outcome);
        Assert.False(string.IsNullOrEmpty(r.Reason));
        Assert.Equal(0, source.Calls);
    }

    /// <summary>Serves another module's files under the requested path (a mirror that mixed up modules).</summary>
    private sealed class RenamingSource(FakeSource inner, ModulePath realPath) : IModuleSource
    {
        public string Name => inner.Name;

        public Task<SourceResult<IReadOnlyList<string>>> ListAsync(ModulePath path, CancellationToken ct) => inner.ListAsync(Other(path), ct);

        public Task<SourceResult<VersionInfo>> InfoAsync(ModulePath path, string query, CancellationToken ct) => inner.InfoAsync(Other(path), query, ct);

        public Task<SourceResult<VersionInfo>> LatestAsync(ModulePath path, CancellationToken ct) => inner.LatestAsync(Other(path), ct);

        public Task<SourceResult<byte[]>> ModAsync(ModulePath path, ModuleVersion version, CancellationToken ct) => inner.ModAsync(Other(path), version, ct);

        public Task<SourceResult<long>> ZipAsync(ModulePath path, ModuleVersion version, Stream destination, CancellationToken ct) => inner.ZipAsync(Other(path), version, destination, ct);

        private ModulePath Other(ModulePath path) => path == realPath ? ModulePath.Parse("example.com/b") : path;
    }
}
