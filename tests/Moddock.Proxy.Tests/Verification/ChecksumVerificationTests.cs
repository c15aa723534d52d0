using Moddock.Modules;
using Moddock.Modules.Zip;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Tests.Support;
using Moddock.Sumdb;

namespace Moddock.Proxy.Tests.Verification;

public sealed class ChecksumVerificationTests
{
    private static readonly TestModule M = new("example.com/sum", "v1.0.0");

    private static ResolverHarness Harness(FakeChecksums sums, string privatePatterns = "") =>
        new([ChainEntry.Upstream(new FakeSource("up", M), false)], checksums: sums, privatePatterns: privatePatterns, direct: new FakeSource("direct", M));

    [Fact]
    public async Task Resolve_ZipAndModMatchingTheDatabase_StoredWithTheirRealHashes()
    {
        var sums = new FakeChecksums(_ => VerifyOutcome.Verified);
        var h = Harness(sums);

        Assert.Equal(ResolveOutcome.Found, (await h.GetAsync(M, ArtifactKind.Zip)).Outcome);
        Assert.Equal(ResolveOutcome.Found, (await h.GetAsync(M, ArtifactKind.Mod)).Outcome);
        await h.SettledAsync();

        var zipPath = Path.Combine(h.Root, "example.com/sum/@v/v1.0.0.zip");
        Assert.Contains((M.Path, M.Version, DirHash.HashZip(zipPath), (string?)null), sums.Calls);
        Assert.Contains((M.Path, M.Version, (string?)null, DirHash.HashGoMod(M.Mod)), sums.Calls);
    }

    [Fact]
    public async Task Resolve_ChecksumMismatch_RefusedNamingBothHashesAndNeverCached()
    {
        var sums = new FakeChecksums(_ => VerifyOutcome.Mismatch);
        var h = Harness(sums);

        var r = await h.GetAsync(M, ArtifactKind.Zip);

        Assert.Equal(ResolveOutcome.Refused, r.Outcome);
        Assert.Contains("h1:expected=", r.Reason);
        Assert.Contains("h1:actual=", r.Reason);
        Assert.Null(await h.Store.TryGetAsync(StoreKey.ForVersion(M.Path, ArtifactKind.Zip, M.Version), default));
        await Resolution.SingleFlightTests.WaitUntilAsync(() => h.Resolver.FetchesInProgress == 0);
        Assert.Equal(ResolveOutcome.Refused, (await h.GetAsync(M, ArtifactKind.Zip)).Outcome);
        Assert.Equal(2, sums.Calls.Count);
    }

    [Fact]
    public async Task Resolve_DatabaseUnavailable_UpstreamFailedAndNotStored()
    {
        var h = Harness(new FakeChecksums(_ => VerifyOutcome.Unavailable));

        var r = await h.GetAsync(M, ArtifactKind.Mod);

        Assert.Equal(ResolveOutcome.UpstreamFailed, r.Outcome);
        Assert.Contains("checksum database unavailable", r.Reason);
        Assert.Null(await h.Store.TryGetAsync(StoreKey.ForVersion(M.Path, ArtifactKind.Mod, M.Version), default));
    }

    [Fact]
    public async Task Resolve_PrivateModule_ChecksumDatabaseNotAsked()
    {
        var sums = new FakeChecksums(_ => VerifyOutcome.Mismatch);
        var h = Harness(sums, privatePatterns: "example.com");

        Assert.Equal(ResolveOutcome.Found, (await h.GetAsync(M, ArtifactKind.Zip)).Outcome);
        Assert.Empty(sums.Calls);
    }

    private sealed class FakeChecksums(Func<string, VerifyOutcome> outcome) : IChecksumVerifier
    {
        public List<(ModulePath, ModuleVersion, string?, string?)> Calls { get; } = [];

        public Task<VerifyResult> VerifyAsync(ModulePath path, ModuleVersion version, string? zipH1, string? modH1, CancellationToken ct)
        {
            lock (Calls)
            {
                Calls.Add((path, version, zipH1, modH1));
            }

            var o = outcome(path.Value);
            return Task.FromResult(new VerifyResult(o, "h1:expected=", "h1:actual=", o == VerifyOutcome.Unavailable ? "sum.golang.org: connection refused" : null));
        }
    }
}
