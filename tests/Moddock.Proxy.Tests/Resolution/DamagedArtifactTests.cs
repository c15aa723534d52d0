using System.Text;
using Moddock.Proxy.Resolution;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Tests.Support;

namespace Moddock.Proxy.Tests.Resolution;

/// <summary>
/// A stored .info/.mod/.zip damaged by hand, by a bad restore or by a failing disk (truncated, emptied, replaced,
/// changed in place at the same length) is never served as a hit: it is discarded, fetched again from the upstream,
/// and stored whole.
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
    [InlineData(ArtifactKind.Zip)]
    [InlineData(ArtifactKind.Mod)]
    [InlineData(ArtifactKind.Info)]
    public async Task Resolve_StoredArtifactChangedInPlaceKeepingLengthAndFormat_FetchedAgainByItsDigest(ArtifactKind kind)
    {
        var source = new FakeSource("up", M);
        var h = ResolverHarness.Over(source);
        var original = await ResolverHarness.ReadAsync(await h.GetAsync(M, kind));
        await h.SettledAsync();
        var file = new DiskLayout(h.Root).FileFor(StoreKey.ForVersion(M.Path, kind, M.Version));

        // Damage each format check passes: a zip still ends with its end record, the go.mod still parses and names
        // the module, the .info still names the version. Only the recorded digest tells.
        var damaged = original.ToArray();
        switch (kind)
        {
            case ArtifactKind.Zip:
                damaged[damaged.Length / 2] ^= 0x01;
                break;
            case ArtifactKind.Mod:
                damaged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(original).Replace("go 1.19", "go 1.18", StringComparison.Ordinal));
                break;
            default:
                damaged = Encoding.UTF8.GetBytes(M.Info.Replace("2024-01-02", "2024-01-03", StringComparison.Ordinal));
                break;
        }

        Assert.Equal(original.Length, damaged.Length);
        Assert.NotEqual(original, damaged);
        await using (var inPlace = new FileStream(file, FileMode.Open, FileAccess.Write))
        {
            await inPlace.WriteAsync(damaged);
        }

        var again = await h.GetAsync(M, kind);

        Assert.Equal(CacheStatus.Miss, again.Cache);
        Assert.Equal(original, await ResolverHarness.ReadAsync(again));
        await h.SettledAsync();
        Assert.Equal(original, await File.ReadAllBytesAsync(file));
        Assert.Contains(h.Logs.Lines, l => l.Contains("no longer match the digest recorded when it was stored", StringComparison.Ordinal));
        Assert.Equal(CacheStatus.Hit, (await h.GetAsync(M, kind)).Cache);
    }

    [Fact]
    public async Task Resolve_StoredZipWithoutDigest_CheckedByFormatAndServedAsAHit()
    {
        var source = new FakeSource("up", M);
        var h = ResolverHarness.Over(source);
        await ResolverHarness.ReadAsync(await h.GetAsync(M, ArtifactKind.Zip));
        await h.SettledAsync();
        var file = new DiskLayout(h.Root).FileFor(StoreKey.ForVersion(M.Path, ArtifactKind.Zip, M.Version));

        // A new file with the same bytes, as a copy without extended attributes leaves it: nothing to check it
        // against, so the format check alone decides, and a sound zip is a hit.
        var bytes = await File.ReadAllBytesAsync(file);
        File.Delete(file);
        await File.WriteAllBytesAsync(file, bytes);

        var hit = await h.GetAsync(M, ArtifactKind.Zip);

        Assert.Equal(CacheStatus.Hit, hit.Cache);
        Assert.Equal(M.Zip, await ResolverHarness.ReadAsync(hit));
        Assert.Equal(1, source.ZipCalls);
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
