using Moddock.Modules;
using Moddock.Proxy.Resolution;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Storage;
using Moddock.Sumdb;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Support;

/// <summary>A resolver over a fresh disk store in a temp dir, with the given chain and a manual clock (read-ahead off by default).</summary>
internal sealed class ResolverHarness
{
    public ResolverHarness(
        IReadOnlyList<ChainEntry> entries,
        ModuleResolverOptions? options = null,
        IModuleSource? direct = null,
        string privatePatterns = "",
        IChecksumVerifier? checksums = null,
        string? root = null)
    {
        Root = root ?? TestEnvironment.NewTempDir("proxy-store");
        Store = DiskModuleStore.Open(new DiskModuleStoreOptions { Root = Root }, Time);
        var patterns = PathPatterns.Parse(privatePatterns);
        Resolver = ProxyComposition.Build(
            Store,
            entries,
            direct,
            p => patterns.Matches(p.Value),
            p => patterns.Matches(p.Value),
            checksums,
            // Read-ahead off unless a test asks for it: a zip fetched after an .info would otherwise race with
            // assertions on exactly what a source or the checksum database was asked (Prefetch/PrefetcherTests).
            options ?? new ModuleResolverOptions { Prefetch = PrefetchKinds.None },
            Time,
            Logs);
    }

    public ManualTimeProvider Time { get; } = new();

    public ListLoggerFactory Logs { get; } = new();

    public string Root { get; }

    public DiskModuleStore Store { get; }

    public ModuleResolver Resolver { get; }

    /// <summary>
    /// A resolver over a store a test supplies (one that fails, races or vanishes on purpose) and one upstream,
    /// with nothing private and no checksum database.
    /// </summary>
    public static ModuleResolver Build(IModuleStore store, IModuleSource upstream, ModuleResolverOptions options, TimeProvider? time = null, ListLoggerFactory? logs = null) =>
        ProxyComposition.Build(
            store,
            [ChainEntry.Upstream(upstream, fallBackOnAnyError: false)],
            null,
            _ => false,
            _ => false,
            null,
            options,
            time ?? new ManualTimeProvider(),
            logs ?? new ListLoggerFactory());

    public static ResolverHarness Over(params IModuleSource[] sources) =>
        new([.. sources.Select(s => ChainEntry.Upstream(s, fallBackOnAnyError: false))]);

    public Task<ResolveResult> GetAsync(ModulePath path, ArtifactKind kind, string? query = null) =>
        Resolver.ResolveAsync(new ModuleRequest(path, kind, query), CancellationToken.None);

    public Task<ResolveResult> GetAsync(TestModule m, ArtifactKind kind) => GetAsync(m.Path, kind, m.Version.Value);

    /// <summary>Waits until every fetch has ended: a miss is answered once verified, and stored just after.</summary>
    public Task SettledAsync() => Resolution.SingleFlightTests.WaitUntilAsync(() => Resolver.FetchesInProgress == 0);

    public static async Task<byte[]> ReadAsync(ResolveResult result)
    {
        Assert.Equal(ResolveOutcome.Found, result.Outcome);
        await using var s = result.Content!.Open(CancellationToken.None);
        using var buffer = new MemoryStream();
        await s.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
