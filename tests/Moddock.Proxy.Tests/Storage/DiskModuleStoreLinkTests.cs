using Moddock.Proxy.Storage;
using Moddock.Proxy.Tests.Support;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Storage;

/// <summary>
/// Symbolic links planted in the storage (by hand, by a restore tool, by another program) must never make the store
/// read or write a file outside its root: the "never read or write a file outside the storage root".
/// </summary>
public sealed class DiskModuleStoreLinkTests
{
    private static readonly TestModule M = new("example.com/linked", "v1.0.0");
    private static readonly StoreKey Info = StoreKey.ForVersion(M.Path, ArtifactKind.Info, M.Version);

    private readonly string _root = TestEnvironment.NewTempDir("link-store");
    private readonly string _outside = TestEnvironment.NewTempDir("link-outside");

    [Fact]
    public async Task TryGet_ArtifactIsALinkToAFileOutsideTheRoot_NotServedLinkRemovedAndStoredAgain()
    {
        var store = Open();
        var secret = Path.Combine(_outside, "secret");
        await File.WriteAllTextAsync(secret, "{\"Version\":\"v1.0.0\",\"secret\":\"do not serve\"}");
        var final = new DiskLayout(_root).FileFor(Info);
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        File.CreateSymbolicLink(final, secret);

        Assert.Null(await store.TryGetAsync(Info, default));
        Assert.False(File.Exists(final) || new FileInfo(final).LinkTarget is not null);

        var stored = await store.SaveAsync(Info, System.Text.Encoding.UTF8.GetBytes(M.Info), default);
        Assert.False(stored.AlreadyStored);
        Assert.Null(new FileInfo(final).LinkTarget);
        Assert.Equal(M.Info, await File.ReadAllTextAsync(final));
        Assert.Equal("{\"Version\":\"v1.0.0\",\"secret\":\"do not serve\"}", await File.ReadAllTextAsync(secret));
    }

    [Fact]
    public async Task Store_DirectoryOnTheWayIsALinkOutsideTheRoot_NeitherReadsNorWritesThroughIt()
    {
        var store = Open();
        var theirs = Path.Combine(_outside, "linked", "@v");
        Directory.CreateDirectory(theirs);
        await File.WriteAllTextAsync(Path.Combine(theirs, "v1.0.0.info"), M.Info);
        Directory.CreateSymbolicLink(Path.Combine(_root, "example.com"), _outside);
        var before = Directory.EnumerateFileSystemEntries(_outside, "*", SearchOption.AllDirectories).Order().ToList();

        Assert.Null(await store.TryGetAsync(Info, default));
        Assert.Empty(await store.ListVersionsAsync(M.Path, default));
        var save = await Assert.ThrowsAsync<StorageFailureException>(() => store.SaveAsync(StoreKey.List(M.Path), "v1.0.0\n"u8.ToArray(), default).AsTask());
        Assert.Contains("symbolic link", save.Message);
        await Assert.ThrowsAsync<StorageFailureException>(() => store.StageAsync(StoreKey.ForVersion(M.Path, ArtifactKind.Zip, M.Version), default).AsTask());

        Assert.Equal(before, Directory.EnumerateFileSystemEntries(_outside, "*", SearchOption.AllDirectories).Order().ToList());
    }

    private DiskModuleStore Open() => DiskModuleStore.Open(new DiskModuleStoreOptions { Root = _root }, new ManualTimeProvider());
}
