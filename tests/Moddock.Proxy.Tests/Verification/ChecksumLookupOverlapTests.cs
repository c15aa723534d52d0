using Moddock.Modules;
using Moddock.Modules.Zip;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Tests.Support;
using Moddock.Sumdb;

namespace Moddock.Proxy.Tests.Verification;

/// <summary>
/// The checksum-database lookup starts as a .mod/.zip download begins, so the round trip overlaps the
/// download; it decides nothing by itself: verification still compares the downloaded h1 before anything
/// is stored or served.
/// </summary>
public sealed class ChecksumLookupOverlapTests
{
    private static readonly TestModule M = new("example.com/sum", "v1.0.0");

    private static (ResolverHarness H, FakeSource Source) Harness(PrefetchingChecksums sums, string privatePatterns = "")
    {
        var source = new FakeSource("up", M) { ZipGate = new TaskCompletionSource() };
        return (new ResolverHarness([ChainEntry.Upstream(source, false)], checksums: sums, privatePatterns: privatePatterns, direct: source), source);
    }

    [Fact]
    public async Task Resolve_ZipMiss_LookupStartsWhileTheDownloadIsStillRunning()
    {
        var sums = new PrefetchingChecksums(VerifyOutcome.Verified);
        var (h, source) = Harness(sums);

        var pending = h.GetAsync(M, ArtifactKind.Zip);
        await Resolution.SingleFlightTests.WaitUntilAsync(() => source.ZipCalls == 1 && sums.Prefetches.Count == 1);
        Assert.False(pending.IsCompleted);
        Assert.Empty(sums.Verifications);
        source.ZipGate!.SetResult();

        var r = await pending;
        Assert.Equal(ResolveOutcome.Found, r.Outcome);
        Assert.Equal(M.Zip, await ResolverHarness.ReadAsync(r));
        Assert.Equal([(M.Path, M.Version)], sums.Prefetches);
        Assert.Single(sums.Verifications);
    }

    [Fact]
    public async Task Resolve_ModMiss_LookupStartedAndHashStillCompared()
    {
        var sums = new PrefetchingChecksums(VerifyOutcome.Verified);
        var (h, _) = Harness(sums);

        Assert.Equal(M.Mod, await ResolverHarness.ReadAsync(await h.GetAsync(M, ArtifactKind.Mod)));

        Assert.Equal([(M.Path, M.Version)], sums.Prefetches);
        Assert.Equal([(M.Path, M.Version, (string?)null, (string?)DirHash.HashGoMod(M.Mod))], sums.Verifications);
    }

    [Theory]
    [InlineData(ArtifactKind.Mod)]
    [InlineData(ArtifactKind.Zip)]
    public async Task Resolve_LookupStartedEarlyThenMismatch_RefusedAndNothingStored(ArtifactKind kind)
    {
        var sums = new PrefetchingChecksums(VerifyOutcome.Mismatch);
        var (h, source) = Harness(sums);
        source.ZipGate!.SetResult();

        var r = await h.GetAsync(M, kind);
        await h.SettledAsync();

        Assert.Equal(ResolveOutcome.Refused, r.Outcome);
        Assert.Contains("SECURITY ERROR", r.Reason);
        Assert.Single(sums.Prefetches);
        Assert.Null(await h.Store.TryGetAsync(StoreKey.ForVersion(M.Path, kind, M.Version), default));
        Assert.Empty(Directory.EnumerateFiles(h.Root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Resolve_LookupFails_UpstreamFailedAndNothingStored()
    {
        var sums = new PrefetchingChecksums(VerifyOutcome.Unavailable);
        var (h, source) = Harness(sums);
        source.ZipGate!.SetResult();

        var r = await h.GetAsync(M, ArtifactKind.Zip);
        await h.SettledAsync();

        Assert.Equal(ResolveOutcome.UpstreamFailed, r.Outcome);
        Assert.Contains("checksum database unavailable", r.Reason);
        Assert.Null(await h.Store.TryGetAsync(StoreKey.ForVersion(M.Path, ArtifactKind.Zip, M.Version), default));
    }

    [Fact]
    public async Task Resolve_PrivateModuleOrInfo_NoLookupStarted()
    {
        var sums = new PrefetchingChecksums(VerifyOutcome.Verified);
        var (h, source) = Harness(sums, privatePatterns: "example.com");
        source.ZipGate!.SetResult();
        var (h2, _) = Harness(sums);

        Assert.Equal(ResolveOutcome.Found, (await h.GetAsync(M, ArtifactKind.Zip)).Outcome);
        Assert.Equal(ResolveOutcome.Found, (await h2.GetAsync(M, ArtifactKind.Info)).Outcome);

        Assert.Empty(sums.Prefetches);
    }

    private sealed class PrefetchingChecksums(VerifyOutcome outcome) : IChecksumVerifier, IChecksumPrefetcher
    {
        public List<(ModulePath, ModuleVersion)> Prefetches { get; } = [];

        public List<(ModulePath, ModuleVersion, string?, string?)> Verifications { get; } = [];

        public Task PrefetchAsync(ModulePath path, ModuleVersion version, CancellationToken ct)
        {
            lock (Prefetches)
            {
                Prefetches.Add((path, version));
            }

            return Task.CompletedTask;
        }

        public Task<VerifyResult> VerifyAsync(ModulePath path, ModuleVersion version, string? zipH1, string? modH1, CancellationToken ct)
        {
            lock (Verifications)
            {
                Verifications.Add((path, version, zipH1, modH1));
            }

            return Task.FromResult(new VerifyResult(outcome, "h1:expected=", "h1:actual=", outcome == VerifyOutcome.Unavailable ? "connection refused" : null));
        }
    }
}
