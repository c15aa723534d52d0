using System.Text;
using Moddock.Modules;
using Moddock.Proxy.Storage;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Storage;

/// <summary>
/// The rules every <see cref="IModuleStore"/> keeps. Each store's test class derives from this one
/// and supplies a fresh, empty store over the given clock.
/// </summary>
public abstract class ModuleStoreConformanceTests
{
    private static readonly ModulePath Path = ModulePath.Parse("example.com/Some/mod");
    private static readonly ModuleVersion V1 = ModuleVersion.Parse("v1.0.0");

    internal ManualTimeProvider Time { get; } = new();

    internal abstract IModuleStore CreateStore();

    [Fact]
    public async Task TryGet_NothingStored_ReturnsNull()
    {
        var store = CreateStore();
        Assert.Null(await store.TryGetAsync(StoreKey.ForVersion(Path, ArtifactKind.Zip, V1), default));
        Assert.Null(await store.TryGetAsync(StoreKey.List(Path), default));
        Assert.Empty(await store.ListVersionsAsync(Path, default));
    }

    [Fact]
    public async Task Discard_DamagedImmutableArtifact_GoneThenStoredAgainWithNewBytes()
    {
        var store = CreateStore();
        var key = StoreKey.ForVersion(Path, ArtifactKind.Mod, V1);
        await store.SaveAsync(key, "damaged"u8.ToArray(), default);

        await store.DiscardAsync(key, default);
        Assert.Null(await store.TryGetAsync(key, default));
        await store.DiscardAsync(key, default); // nothing there: no-op

        var good = Encoding.UTF8.GetBytes("module example.com/Some/mod\n");
        var stored = await store.SaveAsync(key, good, default);
        Assert.False(stored.AlreadyStored);
        await using var s = stored.Open(default);
        using var copy = new MemoryStream();
        await s.CopyToAsync(copy);
        Assert.Equal(good, copy.ToArray());
    }

    [Fact]
    public async Task Save_ThenTryGet_ReturnsSameBytesLengthAndClockTime()
    {
        var store = CreateStore();
        var key = StoreKey.ForVersion(Path, ArtifactKind.Mod, V1);
        var bytes = Encoding.UTF8.GetBytes("module example.com/Some/mod\n");
        await store.SaveAsync(key, bytes, default);

        var got = await store.TryGetAsync(key, default);
        Assert.NotNull(got);
        Assert.Equal(bytes.Length, got.Length);
        Assert.Equal(bytes, await ReadAllAsync(got));
        Assert.Equal(Time.GetUtcNow(), got.SavedAt);
    }

    [Fact]
    public async Task Save_ImmutableKeyTwice_FirstWriteWins()
    {
        var store = CreateStore();
        var key = StoreKey.ForVersion(Path, ArtifactKind.Info, V1);
        await store.SaveAsync(key, "first"u8.ToArray(), default);
        var second = await store.SaveAsync(key, "second"u8.ToArray(), default);

        Assert.Equal("first"u8.ToArray(), await ReadAllAsync(second));
        Assert.Equal("first"u8.ToArray(), await ReadAllAsync((await store.TryGetAsync(key, default))!));
    }

    [Fact]
    public async Task Save_ListTwice_ReplacesWholeAndUpdatesTime()
    {
        var store = CreateStore();
        var key = StoreKey.List(Path);
        await store.SaveAsync(key, "v1.0.0\n"u8.ToArray(), default);
        Time.Advance(TimeSpan.FromMinutes(5));
        await store.SaveAsync(key, "v1.0.0\nv1.1.0\n"u8.ToArray(), default);

        var got = (await store.TryGetAsync(key, default))!;
        Assert.Equal("v1.0.0\nv1.1.0\n"u8.ToArray(), await ReadAllAsync(got));
        Assert.Equal(Time.GetUtcNow(), got.SavedAt);
    }

    [Fact]
    public async Task Stage_BeforeCommit_IsInvisible()
    {
        var store = CreateStore();
        var key = StoreKey.ForVersion(Path, ArtifactKind.Zip, V1);
        await using var staged = await store.StageAsync(key, default);
        await staged.Content.WriteAsync(new byte[1000]);
        await staged.Content.FlushAsync();

        Assert.Null(await store.TryGetAsync(key, default));
        var stored = await staged.CommitAsync(default);
        Assert.Equal(1000, stored.Length);
        Assert.NotNull(await store.TryGetAsync(key, default));
    }

    [Fact]
    public async Task Stage_DisposedWithoutCommit_LeavesNothing()
    {
        var store = CreateStore();
        var key = StoreKey.ForVersion(Path, ArtifactKind.Zip, V1);
        string temp;
        await using (var staged = await store.StageAsync(key, default))
        {
            temp = staged.LocalPath;
            await staged.Content.WriteAsync(new byte[10]);
        }

        Assert.Null(await store.TryGetAsync(key, default));
        Assert.False(File.Exists(temp));
    }

    [Fact]
    public async Task ListVersions_InfoAndModStored_ReturnsEachVersionOnce()
    {
        var store = CreateStore();
        var v2 = ModuleVersion.Parse("v1.1.0-Pre");
        await store.SaveAsync(StoreKey.ForVersion(Path, ArtifactKind.Info, V1), "{}"u8.ToArray(), default);
        await store.SaveAsync(StoreKey.ForVersion(Path, ArtifactKind.Mod, V1), "m"u8.ToArray(), default);
        await store.SaveAsync(StoreKey.ForVersion(Path, ArtifactKind.Mod, v2), "m"u8.ToArray(), default);
        await store.SaveAsync(StoreKey.List(Path), "v9.9.9\n"u8.ToArray(), default);

        var versions = await store.ListVersionsAsync(Path, default);
        Assert.Equal(new[] { V1, v2 }.OrderBy(v => v.Value), versions.OrderBy(v => v.Value));
    }

    [Fact]
    public async Task Save_ConcurrentWritersOfOneKey_OneCompleteCopy()
    {
        var store = CreateStore();
        var key = StoreKey.ForVersion(Path, ArtifactKind.Zip, V1);
        var payloads = Enumerable.Range(0, 16).Select(i => Enumerable.Repeat((byte)i, 64 * 1024).ToArray()).ToList();
        await Task.WhenAll(payloads.Select(p => Task.Run(async () => await store.SaveAsync(key, p, default))));

        var got = await ReadAllAsync((await store.TryGetAsync(key, default))!);
        Assert.Contains(payloads, p => p.AsSpan().SequenceEqual(got));
    }

    [Fact]
    public async Task CheckWritable_FreshStore_ReturnsNull()
    {
        Assert.Null(await CreateStore().CheckWritableAsync(default));
    }

    private static async Task<byte[]> ReadAllAsync(StoredArtifact a)
    {
        await using var s = a.Open(default);
        using var m = new MemoryStream();
        await s.CopyToAsync(m);
        return m.ToArray();
    }
}
