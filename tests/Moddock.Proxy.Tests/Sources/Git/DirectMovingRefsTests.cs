using Moddock.Modules;
using Moddock.Proxy.Sources.Git;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Git;

/// <summary>
/// Branches move. A branch query must answer with the branch as the remote has it now (the go command
/// runs ls-remote for every such query), not with the refs a mirror recorded the last time someone
/// asked for a list or @latest, possibly before a restart days ago.
/// </summary>
public sealed class DirectMovingRefsTests
{
    private static DirectSourceOptions Options(string storage) => new()
    {
        StorageDirectory = storage,
        RefreshInterval = TimeSpan.Zero,
        NetrcPath = "/dev/null",
    };

    [Fact]
    public async Task Info_BranchMovedAfterMirrorWasMade_NewHeadLikeGoDirect()
    {
        const string module = "example.test/moving-branch.git";
        var repo = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("moving-branch"), 320);
        repo.Write("go.mod", $"module {module}\n").Write("a.go", "package a\n");
        repo.Commit("one");
        repo.Tag("v1.0.0");
        repo.Write("a.go", "package a // two\n");
        repo.Commit("two");
        var storage = TestEnvironment.NewTempDir("direct-moving");
        var path = ModulePath.Parse(module);

        using var source = new DirectSource(Options(storage));
        var before = await source.InfoAsync(path, "main", CancellationToken.None);
        Assert.True(before.IsSuccess, before.ToString());

        repo.Write("a.go", "package a // three\n");
        var three = repo.Commit("three");
        var go = GoDirect.Download([(module, "main")], TestEnvironment.NewTempDir("go-direct-moving"))[module + "@main"];
        Assert.Null(go.Error);
        Assert.EndsWith(three[..12], go.Version, StringComparison.Ordinal);

        // The same process, and a new one on the same storage (a restart).
        var again = await source.InfoAsync(path, "main", CancellationToken.None);
        using var restarted = new DirectSource(Options(storage));
        var afterRestart = await restarted.InfoAsync(path, "main", CancellationToken.None);

        Assert.NotEqual(go.Version, before.Value!.Version);
        Assert.Equal(go.Version, again.Value?.Version);
        Assert.Equal(go.Version, afterRestart.Value?.Version);
    }

    [Fact]
    public async Task Info_TagPushedJustAfterAnotherQuery_FoundWithoutWaitingForRefreshInterval()
    {
        const string module = "example.test/new-tag.git";
        var repo = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("new-tag"), 321);
        repo.Write("go.mod", $"module {module}\n").Write("a.go", "package a\n");
        repo.Commit("one");
        repo.Tag("v1.0.0");
        var time = new ManualTimeProvider();
        // A long refresh interval: list and @latest may be that stale, a version nobody has seen may not.
        using var source = new DirectSource(
            new DirectSourceOptions { StorageDirectory = TestEnvironment.NewTempDir("direct-new-tag"), RefreshInterval = TimeSpan.FromHours(1), NetrcPath = "/dev/null" },
            time);
        var path = ModulePath.Parse(module);
        Assert.True((await source.InfoAsync(path, "v1.0.0", CancellationToken.None)).IsSuccess);

        // CI pushes a release and asks for it at once (the go command, which asks git every time, finds it).
        repo.Write("a.go", "package a // two\n");
        repo.Commit("two");
        repo.Tag("v1.1.0");
        time.Advance(TimeSpan.FromSeconds(2));
        var released = await source.InfoAsync(path, "v1.1.0", CancellationToken.None);
        var go = GoDirect.Download([(module, "v1.1.0")], TestEnvironment.NewTempDir("go-direct-new-tag"))[module + "@v1.1.0"];

        Assert.Null(go.Error);
        Assert.True(released.IsSuccess, released.ToString());
        Assert.Equal(go.Version, released.Value!.Version);
    }
}
