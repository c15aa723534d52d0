using System.Text;
using Moddock.Proxy.Resolution;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Tests.Support;

namespace Moddock.Proxy.Tests.Resolution;

/// <summary>
/// A stored .info/.mod/.zip damaged by hand or by a bad restore (truncated, emptied, replaced) is never served as a
/// hit: it is discarded, fetched again from the upstream, and stored whole.
/// </summary>
public sealed class DamagedArtifactTests
{
    private static readonly TestModule M = TestModule.Large("example.com/damaged", "v1.0.0", 16);

    public static TheoryData<ArtifactKind, string> Damage() => new()
    {
        { ArtifactKind.Zip, "truncated" },
        { ArtifactKind.Zip, "empty" },
        { ArtifactKind.Zip, "garbage" },
        { ArtifactKind.Mod, "empty" },
        { ArtifactKind.Mod, "other module" },
        { ArtifactKind.Mod, "garbage" },
        { ArtifactKind.Info, "empty" },
        { ArtifactKind.Info, "other version" },
        { ArtifactKind.Info, "garbage" },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public async Task Resolve_StoredArtifactDamaged_FetchedAgainServedAndStoredWhole(ArtifactKind kind, string damage)
    {
        var source = new FakeSource("up", M);
        var h = ResolverHarness.Over(source);
        var original = await ResolverHarness.ReadAsync(await h.GetAsync(M, kind));
        await h.SettledAsync();
        var file = new DiskLayout(h.Root).FileFor(StoreKey.ForVersion(M.Path, kind, M.Version));
        await File.WriteAllBytesAsync(file, damage switch
        {
            "truncated" => original[..(original.Length / 2)],
            "empty" => [],
            "other module" => "module example.com/other\n"u8.ToArray(),
            "other version" => Encoding.UTF8.GetBytes(M.Info.Replace("v1.0.0", "v1.0.1", StringComparison.Ordinal)),
            _ => "}{ not what was stored \x00"u8.ToArray(),
        });

        var again = await h.GetAsync(M, kind);

        Assert.Equal(CacheStatus.Miss, again.Cache);
        Assert.Equal(original, await ResolverHarness.ReadAsync(again));
        await h.SettledAsync();
        Assert.Equal(original, await File.ReadAllBytesAsync(file));
        var hit = await h.GetAsync(M, kind);
        Assert.Equal(CacheStatus.Hit, hit.Cache);
        Assert.Contains(h.Logs.Lines, l => l.Contains("is damaged", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("garbage")]
    [InlineData("not canonical")]
    public async Task Resolve_StoredLatestDamagedWithinItsTtl_FetchedAgainNotServed(string damage)
    {
        var source = new FakeSource("up", M);
        var h = ResolverHarness.Over(source);
        var original = await ResolverHarness.ReadAsync(await h.GetAsync(M.Path, ArtifactKind.Latest));
        await h.SettledAsync();
        var file = new DiskLayout(h.Root).FileFor(StoreKey.Latest(M.Path));
        await File.WriteAllBytesAsync(file, damage switch
        {
            "empty" => [],
            "not canonical" => "{\"Version\":\"v1.0\"}"u8.ToArray(),
            _ => "}{ \x00"u8.ToArray(),
        });

        var again = await h.GetAsync(M.Path, ArtifactKind.Latest);

        Assert.Equal(CacheStatus.Miss, again.Cache);
        Assert.Equal(original, await ResolverHarness.ReadAsync(again));
        await h.SettledAsync();
        Assert.Equal(original, await File.ReadAllBytesAsync(file));
    }

    [Fact]
    public async Task Resolve_OfflineLatestFromADamagedStoredInfo_NotFoundRatherThanTheDamage()
    {
        var root = Moddock.Testing.TestEnvironment.NewTempDir("damaged-offline");
        var online = new ResolverHarness([ChainEntry.Upstream(new FakeSource("up", M), fallBackOnAnyError: false)], root: root);
        await ResolverHarness.ReadAsync(await online.GetAsync(M, ArtifactKind.Info));
        await online.SettledAsync();
        var file = new DiskLayout(root).FileFor(StoreKey.ForVersion(M.Path, ArtifactKind.Info, M.Version));
        await File.WriteAllTextAsync(file, "{\"Version\":\"v9.9.9\"}");

        // Offline, never asked for @latest: it is derived from the stored versions' .info, which must be sound.
        var offline = new ResolverHarness([], new ModuleResolverOptions { Offline = true, Prefetch = PrefetchKinds.None }, root: root);
        var r = await offline.GetAsync(M.Path, ArtifactKind.Latest);

        Assert.Equal(ResolveOutcome.NotFound, r.Outcome);
        Assert.Contains(offline.Logs.Lines, l => l.Contains("is damaged", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resolve_StoredZipWithTrailingComment_IsSoundAndServedAsAHit()
    {
        var zip = M.Zip.ToArray();

        // A zip comment is allowed after the end record (its length is the record's last field); not damage.
        var comment = "stored with a comment"u8.ToArray();
        var withComment = zip[..^2].Concat(BitConverter.GetBytes((ushort)comment.Length)).Concat(comment).ToArray();
        var source = new FakeSource("up", M) { ZipOverride = withComment };
        var h = ResolverHarness.Over(source);
        await ResolverHarness.ReadAsync(await h.GetAsync(M, ArtifactKind.Zip));
        await h.SettledAsync();

        var hit = await h.GetAsync(M, ArtifactKind.Zip);

        Assert.Equal(CacheStatus.Hit, hit.Cache);
        Assert.Equal(withComment, await ResolverHarness.ReadAsync(hit));
        Assert.Equal(1, source.ZipCalls);
    }
}
