using Moddock.Proxy.Storage;
using Moddock.Proxy.Tests.Support;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Storage;

/// <summary>The disk store when the disk fills up under it (see <see cref="FullDisk"/>): nothing partial, no leftovers.</summary>
public sealed class DiskModuleStoreFullDiskTests
{
    private static readonly TestModule M = new("example.com/full", "v1.0.0");

    private readonly string _root = TestEnvironment.NewTempDir("full-disk-store");

    [Fact]
    public async Task Stage_DiskFillsDuringTheWrite_DiscardingLeavesNoTempFile()
    {
        var disk = new FullDisk(free: 100);
        var store = Open(disk);
        var key = StoreKey.ForVersion(M.Path, ArtifactKind.Zip, M.Version);

        var staged = await store.StageAsync(key, default);
        await Assert.ThrowsAnyAsync<Exception>(() => staged.Content.WriteAsync(new byte[5000]).AsTask());
        await staged.DisposeAsync();

        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
        Assert.Null(await store.TryGetAsync(key, default));
    }

    private DiskModuleStore Open(FullDisk disk) =>
        DiskModuleStore.Open(new DiskModuleStoreOptions { Root = _root, CreateTempFile = disk.Create }, new ManualTimeProvider());
}
