using Moddock.Modules;
using Moddock.Proxy.Sources.Git;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Git.Mirrors;

/// <summary>
/// A mirror damaged by what happens to long-lived storage (a git process killed by the git timeout or
/// kill -9 in the middle of a fetch, a corrupted object) heals itself on the next request instead of
/// failing every request for that repository until someone cleans it by hand.
/// </summary>
public sealed class GitMirrorRecoveryTests
{
    private static DirectSource NewSource(string storage) => new(new DirectSourceOptions
    {
        StorageDirectory = storage,
        RefreshInterval = TimeSpan.Zero,
        GitTimeout = TimeSpan.FromSeconds(30),
        NetrcPath = "/dev/null",
    });

    private static string MirrorDir(string storage) =>
        Assert.Single(Directory.GetDirectories(storage), d => Path.GetFileName(d).Length == 64);

    [Fact]
    public async Task Info_StaleGitLockFilesFromAKilledFetch_RemovedAndFetchSucceeds()
    {
        var repo = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("stale-locks"), 300);
        repo.Write("go.mod", "module example.test/stale-locks.git\n").Write("a.go", "package a\n");
        repo.Commit("one");
        repo.Tag("v1.0.0");
        repo.Write("b.go", "package a // b\n");
        repo.Commit("two");
        repo.Tag("v1.1.0");
        var storage = TestEnvironment.NewTempDir("direct-stale-locks");
        var path = ModulePath.Parse("example.test/stale-locks.git");
        using (var first = NewSource(storage))
        {
            Assert.True((await first.InfoAsync(path, "v1.0.0", CancellationToken.None)).IsSuccess);
        }

        // What `git fetch --depth=1` leaves behind when it is SIGKILLed (GitRunner's timeout kill, kill -9,
        // OOM): its lock files. git refuses every later fetch while they exist.
        var mirror = MirrorDir(storage);
        Assert.True(File.Exists(Path.Combine(mirror, "shallow")), "the first fetch should leave a shallow mirror");
        File.WriteAllText(Path.Combine(mirror, "shallow.lock"), "");
        File.WriteAllText(Path.Combine(mirror, "packed-refs.lock"), "");
        File.WriteAllText(Path.Combine(mirror, "refs", "tags", "v1.1.0.lock"), "");

        using var source = NewSource(storage);
        var tag = await source.InfoAsync(path, "v1.1.0", CancellationToken.None);
        var branch = await source.InfoAsync(path, "main", CancellationToken.None);

        Assert.True(tag.IsSuccess, tag.ToString());
        Assert.Equal("v1.1.0", tag.Value!.Version);
        Assert.True(branch.IsSuccess, branch.ToString());
        Assert.Equal("v1.1.0", branch.Value!.Version);
        Assert.Empty(Directory.GetFiles(mirror, "*.lock", SearchOption.AllDirectories));
    }
}
