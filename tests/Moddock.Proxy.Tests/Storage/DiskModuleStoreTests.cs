using Moddock.Modules;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Tests.Support;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Storage;

public sealed class DiskModuleStoreTests : ModuleStoreConformanceTests
{
    private readonly string _root = TestEnvironment.NewTempDir("disk-store");

    internal override IModuleStore CreateStore() => DiskModuleStore.Open(new DiskModuleStoreOptions { Root = _root }, Time);

    [Fact]
    public async Task Save_EveryKind_LaysOutTheEscapedGoproxyUrlSpace()
    {
        var store = CreateStore();
        var m = new TestModule("github.com/BurntSushi/toml", "v1.3.2-RC1");
        await store.SaveAsync(StoreKey.List(m.Path), "x"u8.ToArray(), default);
        await store.SaveAsync(StoreKey.Latest(m.Path), "x"u8.ToArray(), default);
        foreach (var kind in new[] { ArtifactKind.Info, ArtifactKind.Mod, ArtifactKind.Zip })
        {
            await store.SaveAsync(StoreKey.ForVersion(m.Path, kind, m.Version), "x"u8.ToArray(), default);
        }

        var files = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_root, f)).Order();
        Assert.Equal(
            new[]
            {
                "github.com/!burnt!sushi/toml/@latest",
                "github.com/!burnt!sushi/toml/@v/list",
                "github.com/!burnt!sushi/toml/@v/v1.3.2-!r!c1.info",
                "github.com/!burnt!sushi/toml/@v/v1.3.2-!r!c1.mod",
                "github.com/!burnt!sushi/toml/@v/v1.3.2-!r!c1.zip",
            },
            files);
    }

    [Fact]
    public async Task Save_ImmutableKeyStoredByAnotherProcess_KeepsTheirCopyReportsWhetherItDiffersAndLeavesNoTemp()
    {
        // Two stores on one root stand for two processes sharing the storage.
        var ours = CreateStore();
        var theirs = CreateStore();
        var m = new TestModule("example.com/shared", "v1.0.0");
        var info = StoreKey.ForVersion(m.Path, ArtifactKind.Info, m.Version);
        var mod = StoreKey.ForVersion(m.Path, ArtifactKind.Mod, m.Version);
        await theirs.SaveAsync(info, "{\"Version\":\"v1.0.0\"}"u8.ToArray(), default);
        await theirs.SaveAsync(mod, "module example.com/shared\n"u8.ToArray(), default);

        var differs = await ours.SaveAsync(info, "{\"Version\":\"v1.0.0\",\"Time\":\"2024-01-01T00:00:00Z\"}"u8.ToArray(), default);
        var same = await ours.SaveAsync(mod, "module example.com/shared\n"u8.ToArray(), default);

        Assert.True(differs.AlreadyStored);
        Assert.Equal("{\"Version\":\"v1.0.0\"}", await File.ReadAllTextAsync(differs.FilePath!));
        Assert.False(same.AlreadyStored);
        Assert.Empty(Directory.EnumerateFiles(_root, ".tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Open_AbandonedTempFromACrash_IsNeverServedAndIsRemoved()
    {
        var store = CreateStore();
        var m = new TestModule("example.com/crash", "v1.0.0");
        var key = StoreKey.ForVersion(m.Path, ArtifactKind.Zip, m.Version);

        // What kill -9 in the middle of a download leaves: a half-written temp next to the final name.
        var staged = await store.StageAsync(key, default);
        await staged.Content.WriteAsync(m.Zip.AsMemory(0, m.Zip.Length / 2));
        await staged.Content.FlushAsync();
        var temp = staged.LocalPath;

        Assert.Null(await store.TryGetAsync(key, default));
        Assert.DoesNotContain(m.Version, await store.ListVersionsAsync(m.Path, default));

        // The "restarted process" opens the same root after the temp has sat unwritten for longer than the
        // abandoned age: the temp is gone and nothing partial is visible.
        File.SetLastWriteTimeUtc(temp, Time.GetUtcNow().UtcDateTime - new DiskModuleStoreOptions().AbandonedTempAge - TimeSpan.FromSeconds(1));
        var restarted = CreateStore();
        Assert.False(File.Exists(temp));
        Assert.Null(await restarted.TryGetAsync(key, default));
        await staged.DisposeAsync();
    }

    [Fact]
    public async Task Open_RestartRightAfterACrash_ItsYoungTempsAreRemovedOnceTheyHaveAged()
    {
        var crashed = CreateStore();
        var m = new TestModule("example.com/crash", "v1.0.0");
        var staged = await crashed.StageAsync(StoreKey.ForVersion(m.Path, ArtifactKind.Zip, m.Version), default);
        await staged.Content.WriteAsync(m.Zip.AsMemory(0, m.Zip.Length / 2));
        await staged.Content.FlushAsync();
        var temp = staged.LocalPath;
        File.SetLastWriteTimeUtc(temp, Time.GetUtcNow().UtcDateTime); // kill -9 just now; then the service restarts

        CreateStore();
        Assert.True(File.Exists(temp)); // young: it might be another live process's download

        // Nothing wrote to it since: once it is older than the abandoned age, the running store removes it.
        Time.Advance(new DiskModuleStoreOptions().AbandonedTempAge + TimeSpan.FromMinutes(2));
        Assert.False(File.Exists(temp));
        await staged.DisposeAsync();
    }

    [Fact]
    public async Task Open_OtherStoresUnderTheRoot_AreNotWalked()
    {
        var store = CreateStore();
        var m = new TestModule("example.com/crash", "v1.0.0");
        var staged = await store.StageAsync(StoreKey.ForVersion(m.Path, ArtifactKind.Zip, m.Version), default);
        await staged.Content.WriteAsync(m.Zip.AsMemory(0, 10));
        await staged.Content.FlushAsync();

        // Git mirrors (vcs/) and the checksum-database cache (sumdb/) share the root; a big mirror tree must
        // not be walked at start-up, so a temp-looking file deep inside one is left alone.
        var mirror = Path.Combine(_root, "vcs", "mirrors", "example.com!repo.git", "objects", "pack");
        Directory.CreateDirectory(mirror);
        var mirrorFile = Path.Combine(mirror, DiskLayout.TempPrefix + "pack-in-progress");
        await File.WriteAllTextAsync(mirrorFile, "not ours");
        var sumdbFile = Path.Combine(_root, "sumdb", "sum.golang.org", DiskLayout.TempPrefix + "tile");
        Directory.CreateDirectory(Path.GetDirectoryName(sumdbFile)!);
        await File.WriteAllTextAsync(sumdbFile, "not ours");

        File.SetLastWriteTimeUtc(staged.LocalPath, Time.GetUtcNow().UtcDateTime - TimeSpan.FromHours(1));
        File.SetLastWriteTimeUtc(mirrorFile, Time.GetUtcNow().UtcDateTime - TimeSpan.FromHours(1));
        File.SetLastWriteTimeUtc(sumdbFile, Time.GetUtcNow().UtcDateTime - TimeSpan.FromHours(1));
        CreateStore();

        Assert.False(File.Exists(staged.LocalPath));
        Assert.True(File.Exists(mirrorFile));
        Assert.True(File.Exists(sumdbFile));
        await staged.DisposeAsync();
    }

    [Fact]
    public async Task Open_TempStillBeingWrittenByAnotherProcess_IsLeftAlone()
    {
        var store = CreateStore();
        var m = new TestModule("example.com/shared", "v1.0.0");
        var key = StoreKey.ForVersion(m.Path, ArtifactKind.Zip, m.Version);

        // Another process sharing the storage is mid-download: its temp was written a moment ago.
        var staged = await store.StageAsync(key, default);
        await staged.Content.WriteAsync(m.Zip.AsMemory(0, m.Zip.Length / 2));
        await staged.Content.FlushAsync();
        File.SetLastWriteTimeUtc(staged.LocalPath, Time.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(30));

        var second = CreateStore();

        Assert.True(File.Exists(staged.LocalPath));
        await staged.Content.WriteAsync(m.Zip.AsMemory(m.Zip.Length / 2));
        var stored = await staged.CommitAsync(default);
        Assert.Equal(m.Zip.Length, stored.Length);
        Assert.NotNull(await second.TryGetAsync(key, default));
        await staged.DisposeAsync();
    }

    [Fact]
    public async Task Save_Always_LeavesNoTempFiles()
    {
        var store = CreateStore();
        var m = new TestModule("example.com/clean", "v1.0.0");
        await store.SaveAsync(StoreKey.ForVersion(m.Path, ArtifactKind.Zip, m.Version), m.Zip, default);
        await store.SaveAsync(StoreKey.List(m.Path), "v1.0.0\n"u8.ToArray(), default);

        Assert.Empty(Directory.EnumerateFiles(_root, DiskLayout.TempPrefix + "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Open_EmptyRoot_Throws()
    {
        Assert.Throws<ArgumentException>(() => DiskModuleStore.Open(new DiskModuleStoreOptions { Root = " " }, TimeProvider.System));
    }
}
