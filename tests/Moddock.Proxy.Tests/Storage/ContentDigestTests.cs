using System.IO.Hashing;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Tests.Support;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Storage;

/// <summary>
/// Every immutable artifact the disk store writes carries the XXH128 digest of its bytes in an extended attribute, set
/// before the rename so that it is committed with them; mutable ones (list, @latest) are replaced whole and carry none.
/// </summary>
public sealed class ContentDigestTests
{
    private static readonly TestModule M = new("example.com/digest", "v1.0.0");
    private readonly string _root = TestEnvironment.NewTempDir("digest-store");

    // What a reader finds on the stored file: the attribute, read from the open file as the read check does.
    private static byte[]? Recorded(StoredArtifact stored)
    {
        using var stream = stored.Open(default);
        return ContentDigest.TryRead(stream);
    }

    private DiskModuleStore Open() => DiskModuleStore.Open(new DiskModuleStoreOptions { Root = _root }, TimeProvider.System);

    [Theory]
    [InlineData(ArtifactKind.Info)]
    [InlineData(ArtifactKind.Mod)]
    [InlineData(ArtifactKind.Zip)]
    public async Task SaveAsync_ImmutableArtifact_RecordsTheDigestOfItsBytesOnTheFile(ArtifactKind kind)
    {
        var bytes = kind == ArtifactKind.Zip ? M.Zip : kind == ArtifactKind.Mod ? M.Mod : System.Text.Encoding.UTF8.GetBytes(M.Info);
        var key = StoreKey.ForVersion(M.Path, kind, M.Version);

        var saved = await Open().SaveAsync(key, bytes, default);
        var read = await Open().TryGetAsync(key, default);

        Assert.Equal(XxHash128.Hash(bytes), Recorded(saved));
        Assert.Equal(XxHash128.Hash(bytes), Recorded(read!));
    }

    [Fact]
    public async Task CommitAsync_StagedZip_RecordsTheDigestOfTheBytesWritten()
    {
        var key = StoreKey.ForVersion(M.Path, ArtifactKind.Zip, M.Version);
        var store = Open();
        await using var staged = await store.StageAsync(key, default);

        // Written in pieces, the way a download arrives.
        for (var at = 0; at < M.Zip.Length; at += 100)
        {
            await staged.Content.WriteAsync(M.Zip.AsMemory(at, Math.Min(100, M.Zip.Length - at)));
        }

        var stored = await staged.CommitAsync(default);

        Assert.Equal(XxHash128.Hash(M.Zip), Recorded(stored));
        Assert.Equal(XxHash128.Hash(M.Zip), Recorded((await Open().TryGetAsync(key, default))!));
    }

    [Fact]
    public async Task SaveAsync_ListAndLatest_CarryNoDigest()
    {
        var store = Open();

        var list = await store.SaveAsync(StoreKey.List(M.Path), "v1.0.0\n"u8.ToArray(), default);
        var latest = await store.SaveAsync(StoreKey.Latest(M.Path), System.Text.Encoding.UTF8.GetBytes(M.Info), default);

        Assert.Null(Recorded(list));
        Assert.Null(Recorded(latest));
    }

    [Fact]
    public async Task TryGetAsync_FileWrittenWithoutTheStore_HasNoDigest()
    {
        // A copy of the storage made without extended attributes, or one stored before digests were kept.
        var key = StoreKey.ForVersion(M.Path, ArtifactKind.Mod, M.Version);
        var file = new DiskLayout(_root).FileFor(key);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, M.Mod);

        var read = await Open().TryGetAsync(key, default);

        Assert.NotNull(read);
        Assert.Null(Recorded(read));
    }

    [Fact]
    public async Task TryGetAsync_StoredFileRewrittenInPlace_StillCarriesTheDigestOfWhatWasStored()
    {
        // The attribute belongs to the file, not to its bytes: a change in place keeps it, which is what lets a
        // reader see the change.
        var key = StoreKey.ForVersion(M.Path, ArtifactKind.Mod, M.Version);
        var saved = await Open().SaveAsync(key, M.Mod, default);
        await File.WriteAllBytesAsync(saved.FilePath!, [.. M.Mod.Reverse()]);

        var read = await Open().TryGetAsync(key, default);

        Assert.Equal(XxHash128.Hash(M.Mod), Recorded(read!));
        Assert.NotEqual(XxHash128.Hash(await File.ReadAllBytesAsync(read!.FilePath!)), Recorded(read));
    }
}
