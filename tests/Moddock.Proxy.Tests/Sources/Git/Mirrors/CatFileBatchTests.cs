using System.Text;
using Moddock.Proxy.Sources.Git;
using Moddock.Proxy.Sources.Git.Credentials;
using Moddock.Proxy.Sources.Git.Mirrors;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Git.Mirrors;

/// <summary>One long-running `git cat-file --batch` answers many reads, and comes back after it was stopped.</summary>
public sealed class CatFileBatchTests
{
    private static (CatFileBatch Batch, ManualTimeProvider Time, string Head, DirectGitRepoBuilder Repo) NewBatch(string name)
    {
        var repo = new DirectGitRepoBuilder(Path.Combine(TestEnvironment.NewTempDir("catfile"), name), 150);
        repo.Write("go.mod", "module example.test/x\n").Write("big.txt", new string('x', 4096));
        var head = repo.Commit("one");
        var git = new GitRunner(2, TimeSpan.FromSeconds(30), null, new SecretRedactorSource(() => SecretRedactor.None));
        var time = new ManualTimeProvider();
        return (new CatFileBatch(git, Path.Combine(repo.Dir, ".git"), time, TimeSpan.FromMinutes(2)), time, head, repo);
    }

    [Fact]
    public async Task ReadAsync_ManyReads_OneProcessAndGitsAnswers()
    {
        var (batch, _, head, repo) = NewBatch("many");
        using var _ = batch;

        var commit = await batch.ReadAsync(head + "^{commit}", "commit", 1 << 20, CancellationToken.None);
        var gomod = await batch.ReadAsync(head + ":go.mod", "blob", 1 << 20, CancellationToken.None);
        var byPrefix = await batch.ReadAsync(head[..10] + "^{commit}", "commit", 1 << 20, CancellationToken.None);
        var missing = await batch.ReadAsync(head + ":nope.txt", "blob", 1 << 20, CancellationToken.None);
        var wrongType = await batch.ReadAsync(head + "^{tree}", "blob", 1 << 20, CancellationToken.None);
        var hostile = await batch.ReadAsync(head + ":go.mod\n" + head, "blob", 1 << 20, CancellationToken.None);
        var again = await batch.ReadAsync(head + ":go.mod", "blob", 1 << 20, CancellationToken.None);

        Assert.Equal(head, commit?.Oid);
        // The same committer time `git log --format=%ct` reports (what cmd/go reads).
        Assert.Equal(long.Parse(repo.Git("log", "-1", "--format=%ct").Trim(), System.Globalization.CultureInfo.InvariantCulture), GitMirror.CommitterTime(commit!.Value.Data));
        Assert.Equal("module example.test/x\n", Encoding.UTF8.GetString(gomod!.Value.Data));
        Assert.Equal(head, byPrefix?.Oid);
        Assert.Null(missing);
        Assert.Null(wrongType);
        Assert.Null(hostile);
        Assert.Equal(gomod.Value.Data, again!.Value.Data);
        Assert.Equal(1, batch.Starts);
    }

    [Fact]
    public async Task ReadAsync_TooLargeThenIdleStop_RefusedAndRestartedOnNextRead()
    {
        var (batch, time, head, _) = NewBatch("restart");
        using var _ = batch;

        var tooLarge = await Assert.ThrowsAsync<DirectFailureException>(() => batch.ReadAsync(head + ":big.txt", "blob", 1024, CancellationToken.None));
        var afterTooLarge = await batch.ReadAsync(head + ":go.mod", "blob", 1 << 20, CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(3));
        var afterIdle = await batch.ReadAsync(head + ":big.txt", "blob", 1 << 20, CancellationToken.None);

        Assert.Equal(DirectFailureKind.TooLarge, tooLarge.Kind);
        Assert.NotNull(afterTooLarge);
        Assert.Equal(4096, afterIdle?.Data.Length);
        // Started for the first read, again after the too-large object was dropped, again after idling.
        Assert.Equal(3, batch.Starts);
    }
}
