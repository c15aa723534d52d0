using System.Net;
using System.Text;
using Moddock.Modules;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Sources.Git;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Git.Finding;

/// <summary>?go-get=1 discovery through DirectSource, with the web answered in memory and git repositories on disk.</summary>
public sealed class DiscoveryTests
{
    private sealed class FakeWeb(Dictionary<string, string> pages) : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.ToString();
            lock (Requests)
            {
                Requests.Add(url);
            }

            return Task.FromResult(pages.TryGetValue(url, out var body)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "text/html") }
                : new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("not found") });
        }
    }

    private static string Meta(string content) => $"<html><head><meta name=\"go-import\" content=\"{content}\"></head><body>hi</body></html>";

    private static DirectSource NewSource(FakeWeb web) => new(
        new DirectSourceOptions { StorageDirectory = TestEnvironment.NewTempDir("direct-discovery"), RefreshInterval = TimeSpan.Zero, NetrcPath = "/dev/null" },
        httpHandler: web);

    [Fact]
    public async Task Info_GoImportGitOnShorterPrefix_VerifiedAndFetchedFromGit()
    {
        var repo = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("discovered"), 80);
        repo.Write("go.mod", "module go.corp.example/lib\n").Write("sub/s.go", "package sub\n");
        repo.Commit("one");
        repo.Tag("v1.0.0");
        var meta = Meta("go.corp.example/lib git https://example.test/discovered");
        using var web = new FakeWeb(new()
        {
            ["https://go.corp.example/lib/sub?go-get=1"] = meta,
            ["https://go.corp.example/lib?go-get=1"] = meta,
        });
        using var source = NewSource(web);

        var viaSub = await source.ListAsync(ModulePath.Parse("go.corp.example/lib/sub"), CancellationToken.None);
        var info = await source.InfoAsync(ModulePath.Parse("go.corp.example/lib"), "v1.0.0", CancellationToken.None);

        Assert.True(viaSub.IsSuccess, viaSub.ToString());
        Assert.Empty(viaSub.Value!);
        Assert.Equal("v1.0.0", info.Value?.Version);
        Assert.Contains("https://go.corp.example/lib?go-get=1", web.Requests);
    }

    [Fact]
    public async Task List_GoImportPrefixDisagrees_NotFound()
    {
        using var web = new FakeWeb(new()
        {
            ["https://shared.example/bob/x?go-get=1"] = Meta("shared.example git https://evil.example/root"),
            ["https://shared.example?go-get=1"] = Meta("shared.example git https://good.example/root"),
            ["https://shared.example/?go-get=1"] = Meta("shared.example git https://good.example/root"),
        });
        using var source = NewSource(web);

        var result = await source.ListAsync(ModulePath.Parse("shared.example/bob/x"), CancellationToken.None);

        Assert.Equal(SourceFailureKind.NotFound, result.Failure?.Kind);
        Assert.Contains("disagree", result.Failure!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListInfo_GoImportMod_HandedToThatProxy()
    {
        using var web = new FakeWeb(new()
        {
            ["https://mod.corp.example/m?go-get=1"] = Meta("mod.corp.example/m mod https://proxy.corp.example/base"),
            ["https://proxy.corp.example/base/mod.corp.example/m/@v/list"] = "v1.0.0\nv1.1.0-0.20260101000000-abcdefabcdef\nv1.1.0\n",
            ["https://proxy.corp.example/base/mod.corp.example/m/@v/v1.1.0.info"] = "{\"Version\":\"v1.1.0\",\"Time\":\"2026-01-02T03:04:05Z\"}",
            ["https://proxy.corp.example/base/mod.corp.example/m/@v/v1.1.0.mod"] = "module mod.corp.example/m\n",
        });
        using var source = NewSource(web);
        var path = ModulePath.Parse("mod.corp.example/m");

        var list = await source.ListAsync(path, CancellationToken.None);
        var info = await source.InfoAsync(path, "v1.1.0", CancellationToken.None);
        var mod = await source.ModAsync(path, ModuleVersion.Parse("v1.1.0"), CancellationToken.None);
        var missing = await source.ModAsync(path, ModuleVersion.Parse("v9.0.0"), CancellationToken.None);

        Assert.Equal(["v1.0.0", "v1.1.0"], list.Value);
        Assert.Equal("v1.1.0", info.Value?.Version);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), info.Value?.Time);
        Assert.Equal("module mod.corp.example/m\n", Encoding.UTF8.GetString(mod.Value!));
        Assert.Equal(SourceFailureKind.NotFound, missing.Failure?.Kind);
    }

    [Fact]
    public async Task List_NoGoImportTags_NotFoundWithoutGit()
    {
        using var web = new FakeWeb(new() { ["https://plain.example/x?go-get=1"] = "<html><head><title>x</title></head></html>" });
        var storage = TestEnvironment.NewTempDir("direct-plain");
        using var source = new DirectSource(new DirectSourceOptions { StorageDirectory = storage, NetrcPath = "/dev/null" }, httpHandler: web);

        var result = await source.ListAsync(ModulePath.Parse("plain.example/x"), CancellationToken.None);

        Assert.Equal(SourceFailureKind.NotFound, result.Failure?.Kind);
        Assert.Empty(Directory.Exists(storage) ? Directory.GetDirectories(storage) : []);
    }

    [Fact]
    public async Task List_GoImportChangesRepository_NewRepositoryAfterTtlAndOldOneWhileDiscoveryFails()
    {
        var a = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("vanity-old"), 81);
        a.Write("go.mod", "module vanity.example/lib\n");
        a.Commit("one");
        a.Tag("v1.0.0");
        var b = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("vanity-new"), 82);
        b.Write("go.mod", "module vanity.example/lib\n");
        b.Commit("one");
        b.Tag("v1.0.0").Tag("v1.1.0");
        var pages = new Dictionary<string, string> { ["https://vanity.example/lib?go-get=1"] = Meta("vanity.example/lib git https://example.test/vanity-old") };
        using var web = new FakeWeb(pages);
        var time = new ManualTimeProvider();
        using var source = new DirectSource(
            new DirectSourceOptions { StorageDirectory = TestEnvironment.NewTempDir("direct-vanity"), RefreshInterval = TimeSpan.Zero, NetrcPath = "/dev/null" },
            time,
            web);
        var path = ModulePath.Parse("vanity.example/lib");

        var before = await source.ListAsync(path, CancellationToken.None);
        // The vanity domain now points at the new home (the go command would follow at once).
        pages["https://vanity.example/lib?go-get=1"] = Meta("vanity.example/lib git https://example.test/vanity-new");
        time.Advance(TimeSpan.FromHours(1));
        var moved = await source.ListAsync(path, CancellationToken.None);
        // Then the vanity server breaks: the last known repository still serves.
        pages.Clear();
        time.Advance(TimeSpan.FromHours(1));
        var whileBroken = await source.ListAsync(path, CancellationToken.None);

        Assert.Equal(["v1.0.0"], before.Value);
        Assert.Equal(["v1.0.0", "v1.1.0"], moved.Value);
        Assert.Equal(["v1.0.0", "v1.1.0"], whileBroken.Value);
    }
}
