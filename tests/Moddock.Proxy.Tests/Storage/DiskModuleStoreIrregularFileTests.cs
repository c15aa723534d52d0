using Moddock.Proxy.Resolution;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Tests.Support;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Storage;

/// <summary>
/// A named pipe (or socket, or device) where the store keeps an artifact is not the store's: it only ever renames
/// regular files into place. Opened for reading, a pipe blocks until some writer appears, so a request for it would
/// hang forever; the store treats it as absent and removes it, like a link in an artifact's place.
/// </summary>
public sealed class DiskModuleStoreIrregularFileTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly TestModule M = new("example.com/piped", "v1.0.0");

    public static TheoryData<ArtifactKind> Kinds() => [ArtifactKind.List, ArtifactKind.Latest, ArtifactKind.Info, ArtifactKind.Mod, ArtifactKind.Zip];

    private static StoreKey KeyOf(ArtifactKind kind) => kind switch
    {
        ArtifactKind.List => StoreKey.List(M.Path),
        ArtifactKind.Latest => StoreKey.Latest(M.Path),
        _ => StoreKey.ForVersion(M.Path, kind, M.Version),
    };

    private static void MakeFifo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var made = ProcessRunner.Run("mkfifo", [path], Path.GetDirectoryName(path)!);
        Assert.True(made.ExitCode == 0, made.StdErr);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task TryGetAsync_NamedPipeInAnArtifactsPlace_AbsentAndRemoved(ArtifactKind kind)
    {
        var root = TestEnvironment.NewTempDir("fifo-store");
        var key = KeyOf(kind);
        var file = new DiskLayout(root).FileFor(key);
        MakeFifo(file);
        var store = DiskModuleStore.Open(new DiskModuleStoreOptions { Root = root }, new ManualTimeProvider());

        // On another thread, bounded: a blocking open would otherwise hang the test itself rather than fail it.
        Assert.Null(await Task.Run(() => store.TryGetAsync(key, default).AsTask()).WaitAsync(Bound));
        Assert.False(File.Exists(file));

        var stored = await store.SaveAsync(key, "v1.0.0\n"u8.ToArray(), default);
        Assert.Equal("v1.0.0\n", await File.ReadAllTextAsync(stored.FilePath!));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Resolve_NamedPipeInTheStorage_AnsweredFromTheUpstreamNotHung(ArtifactKind kind)
    {
        var source = new FakeSource("up", M);
        var h = ResolverHarness.Over(source);
        MakeFifo(new DiskLayout(h.Root).FileFor(KeyOf(kind)));

        var r = await Task.Run(() => kind is ArtifactKind.List or ArtifactKind.Latest ? h.GetAsync(M.Path, kind) : h.GetAsync(M, kind)).WaitAsync(Bound);

        Assert.Equal(ResolveOutcome.Found, r.Outcome);
        Assert.NotEmpty(await ResolverHarness.ReadAsync(r).WaitAsync(Bound));
        await h.SettledAsync();
    }
}
