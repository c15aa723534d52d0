using Moddock.Modules;
using Moddock.Proxy.Resolution;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Tests.Support;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Resolution;

/// <summary>
/// A stored file that cannot be read (its permissions changed by hand, an I/O error) is a cache miss with a warning,
/// never an exception that turns the request into "internal error". Stood for by a store whose stored files refuse
/// to open (tests run as root in places, where permissions do not stop reads).
/// </summary>
public sealed class UnreadableStoreTests
{
    private static readonly TestModule M = new("example.com/unreadable", "v1.0.0");

    [Theory]
    [InlineData(ArtifactKind.List)]
    [InlineData(ArtifactKind.Latest)]
    [InlineData(ArtifactKind.Info)]
    [InlineData(ArtifactKind.Mod)]
    [InlineData(ArtifactKind.Zip)]
    public async Task Resolve_StoredFileCannotBeRead_FetchedAgainAndAnswered(ArtifactKind kind)
    {
        var root = TestEnvironment.NewTempDir("unreadable-store");
        var time = new ManualTimeProvider();
        var inner = DiskModuleStore.Open(new DiskModuleStoreOptions { Root = root }, time);
        var logs = new ListLoggerFactory();
        var source = new FakeSource("up", M);
        var resolver = ResolverHarness.Build(new UnreadableStore(inner), source, new ModuleResolverOptions { Prefetch = PrefetchKinds.None }, time, logs);
        var version = kind is ArtifactKind.List or ArtifactKind.Latest ? null : M.Version.Value;
        var request = new ModuleRequest(M.Path, kind, version);
        await ResolverHarness.ReadAsync(await resolver.ResolveAsync(request, CancellationToken.None));
        await SingleFlightTests.WaitUntilAsync(() => resolver.FetchesInProgress == 0);
        var calls = source.Calls;

        var again = await resolver.ResolveAsync(request, CancellationToken.None);

        Assert.Equal(CacheStatus.Miss, again.Cache);
        Assert.NotEmpty(await ResolverHarness.ReadAsync(again));
        Assert.True(source.Calls > calls);
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("denied", StringComparison.Ordinal));
    }

    /// <summary>Stores as usual; every stored file it hands out refuses to open, as one with mode 000 would.</summary>
    private sealed class UnreadableStore(DiskModuleStore inner) : DelegatingStore(inner)
    {
        public override async ValueTask<StoredArtifact?> TryGetAsync(StoreKey key, CancellationToken ct) =>
            await base.TryGetAsync(key, ct) is { } stored
                ? stored with { FilePath = null, Open = _ => throw new UnauthorizedAccessException($"Access to the path '{stored.FilePath}' is denied.") }
                : null;
    }
}
