using System.Text;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Tests.Support;

namespace Moddock.Proxy.Tests.Resolution;

/// <summary>
/// A query (@latest, a branch) may resolve to a valid version whose escaped file name is over the file system's
/// 255-byte limit (a long upper-case pre-release doubles in length when escaped). Requests naming such a version are
/// refused at the edge, but a query's answer names it only after the fetch: it is answered, just not stored.
/// </summary>
public sealed class LongVersionTests
{
    private static readonly TestModule Long = new("example.com/longver", "v1.0.0-" + new string('A', 130));

    [Theory]
    [InlineData(ArtifactKind.Latest, null)]
    [InlineData(ArtifactKind.Info, "main")]
    public async Task Resolve_QueryResolvesToVersionTooLongForAFileName_AnsweredUncachedWithoutError(ArtifactKind kind, string? query)
    {
        var h = ResolverHarness.Over(new FakeSource("up", Long));

        var r = await h.GetAsync(Long.Path, kind, query);
        await h.SettledAsync();

        Assert.Contains(Long.Version.Value, Encoding.UTF8.GetString(await ResolverHarness.ReadAsync(r)), StringComparison.Ordinal);
        Assert.DoesNotContain(h.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal));
        Assert.Contains(h.Logs.Lines, l => l.Contains("255", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFiles(h.Root, DiskLayout.TempPrefix + "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Store_KeyWhoseFileNameIsTooLong_ReadsAsAbsentAndRefusesToStoreWithAReason()
    {
        var h = ResolverHarness.Over();
        var key = StoreKey.ForVersion(Long.Path, ArtifactKind.Info, Long.Version);

        Assert.Null(await h.Store.TryGetAsync(key, default));
        var e = await Assert.ThrowsAsync<StorageFailureException>(() => h.Store.SaveAsync(key, Encoding.UTF8.GetBytes(Long.Info), default).AsTask());
        Assert.Contains("255", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<StorageFailureException>(() => h.Store.StageAsync(StoreKey.ForVersion(Long.Path, ArtifactKind.Zip, Long.Version), default).AsTask());
        await h.Store.DiscardAsync(key, default);
    }
}
