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

    [Fact]
    public async Task InfoModZip_CorruptedObjectsInMirror_MirrorRebuiltAndSameBytes()
    {
        var repo = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("corrupt-objects"), 301);
        repo.Write("go.mod", "module example.test/corrupt-objects.git\n").Write("a.go", "package a\n").Write("LICENSE", "corrupt\n");
        repo.Commit("one");
        repo.Tag("v1.0.0");
        var storage = TestEnvironment.NewTempDir("direct-corrupt");
        var path = ModulePath.Parse("example.test/corrupt-objects.git");
        var version = ModuleVersion.Parse("v1.0.0");
        byte[] goodMod;
        byte[] goodZip;
        using (var first = NewSource(storage))
        {
            Assert.True((await first.InfoAsync(path, "v1.0.0", CancellationToken.None)).IsSuccess);
            goodMod = (await first.ModAsync(path, version, CancellationToken.None)).Value!;
            using var zip = new MemoryStream();
            Assert.True((await first.ZipAsync(path, version, zip, CancellationToken.None)).IsSuccess);
            goodZip = zip.ToArray();
        }

        // Bit rot, a full disk or a bad copy of the storage: every object file of the mirror is garbage.
        var mirror = MirrorDir(storage);
        var objects = Directory.GetFiles(Path.Combine(mirror, "objects"), "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)!).Length == 2 || f.EndsWith(".pack", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(objects);
        foreach (var f in objects)
        {
            File.SetAttributes(f, FileAttributes.Normal);
            File.WriteAllText(f, "corrupt");
        }

        using var source = NewSource(storage);
        var info = await source.InfoAsync(path, "v1.0.0", CancellationToken.None);
        var mod = await source.ModAsync(path, version, CancellationToken.None);
        using var again = new MemoryStream();
        var written = await source.ZipAsync(path, version, again, CancellationToken.None);

        Assert.True(info.IsSuccess, info.ToString());
        Assert.True(mod.IsSuccess, mod.ToString());
        Assert.Equal(goodMod, mod.Value);
        Assert.True(written.IsSuccess, written.ToString());
        Assert.Equal(goodZip, again.ToArray());
        var fsck = ProcessRunner.Run("git", ["--git-dir", mirror, "fsck", "--no-dangling"], storage, new Dictionary<string, string?>(), timeout: TimeSpan.FromSeconds(30));
        Assert.True(fsck.ExitCode == 0, fsck.StdErr);
    }

    [Fact]
    public async Task Info_HistoryObjectMissingFromCompleteMirror_PseudoVersionStillLikeGoDirect()
    {
        const string module = "example.test/missing-history.git";
        var repo = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("missing-history"), 302);
        repo.Write("go.mod", $"module {module}\n").Write("a.go", "package a\n");
        repo.Commit("one");
        repo.Tag("v1.0.0");
        repo.Write("a.go", "package a // two\n");
        var two = repo.Commit("two");
        repo.Tag("v1.1.0");
        repo.Write("a.go", "package a // three\n");
        repo.Commit("three");
        var storage = TestEnvironment.NewTempDir("direct-missing-history");
        var path = ModulePath.Parse(module);
        var go = GoDirect.Download([(module, "main")], TestEnvironment.NewTempDir("go-direct-missing-history"))[module + "@main"];
        Assert.Null(go.Error);
        using (var first = NewSource(storage))
        {
            // A pseudo-version needs the history: this makes the mirror complete.
            Assert.Equal(go.Version, (await first.InfoAsync(path, "main", CancellationToken.None)).Value?.Version);
        }

        // One commit of the history is lost (a damaged disk, an interrupted copy of the storage).
        var mirror = MirrorDir(storage);
        var loose = Path.Combine(mirror, "objects", two[..2], two[2..]);
        Assert.True(File.Exists(loose), "a small fetch leaves loose objects");
        File.Delete(loose);

        using var source = NewSource(storage);
        var info = await source.InfoAsync(path, "main", CancellationToken.None);

        Assert.True(info.IsSuccess, info.ToString());
        Assert.Equal(go.Version, info.Value!.Version);
    }

    [Fact]
    public async Task Mod_GoModObjectMissingFromMirror_RealGoModNotASynthesizedOne()
    {
        const string module = "example.test/missing-gomod.git";
        var repo = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("missing-gomod"), 303);
        repo.Write("go.mod", $"module {module}\n\ngo 1.19\n\nrequire example.test/dep v1.0.0\n").Write("a.go", "package a\n");
        repo.Commit("one");
        repo.Tag("v1.0.0");
        var blob = repo.Git("rev-parse", "v1.0.0:go.mod").Trim();
        var storage = TestEnvironment.NewTempDir("direct-missing-gomod");
        var path = ModulePath.Parse(module);
        var version = ModuleVersion.Parse("v1.0.0");
        byte[] good;
        using (var first = NewSource(storage))
        {
            good = (await first.ModAsync(path, version, CancellationToken.None)).Value!;
        }

        // The go.mod blob is lost: "missing" from git must not read as "this version has no go.mod"
        // (which would serve a synthesized `module M` go.mod with another hash).
        var loose = Path.Combine(MirrorDir(storage), "objects", blob[..2], blob[2..]);
        Assert.True(File.Exists(loose), "a small fetch leaves loose objects");
        File.Delete(loose);

        using var source = NewSource(storage);
        var mod = await source.ModAsync(path, version, CancellationToken.None);

        Assert.True(mod.IsSuccess, mod.ToString());
        Assert.Equal(good, mod.Value);
    }

    [Fact]
    public async Task Info_TaggedCommitObjectMissingFromMirror_FoundNotUnknownRevision()
    {
        const string module = "example.test/missing-commit.git";
        var repo = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("missing-commit"), 304);
        repo.Write("go.mod", $"module {module}\n").Write("a.go", "package a\n");
        var commit = repo.Commit("one");
        repo.Tag("v1.0.0");
        repo.Write("a.go", "package a // two\n");
        repo.Commit("two");
        var storage = TestEnvironment.NewTempDir("direct-missing-commit");
        var path = ModulePath.Parse(module);
        string good;
        using (var first = NewSource(storage))
        {
            good = (await first.InfoAsync(path, "v1.0.0", CancellationToken.None)).Value!.RawJson;
            // A pseudo-version of main needs the history: the mirror becomes complete.
            Assert.True((await first.InfoAsync(path, "main", CancellationToken.None)).IsSuccess);
        }

        // git fetch will not bring it back (the tag already points at it): "unknown revision" would be a
        // 404 for a version that exists, for as long as the mirror lives.
        var loose = Path.Combine(MirrorDir(storage), "objects", commit[..2], commit[2..]);
        Assert.True(File.Exists(loose), "a small fetch leaves loose objects");
        File.Delete(loose);

        using var source = NewSource(storage);
        var info = await source.InfoAsync(path, "v1.0.0", CancellationToken.None);

        Assert.True(info.IsSuccess, info.ToString());
        Assert.Equal(good, info.Value!.RawJson);
    }
}
