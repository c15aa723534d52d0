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
        return (new CatFileBatch(git, Path.Combine(repo.Dir, ".git"), time, TimeSpan.FromMinutes(2), new CatFileBatchPool(2)), time, head, repo);
    }

    private static (string GitDir, string Head) NewRepo(string root, string name, int seed)
    {
        var repo = new DirectGitRepoBuilder(Path.Combine(root, name), seed);
        repo.Write("go.mod", $"module example.test/{name}\n");
        return (Path.Combine(repo.Dir, ".git"), repo.Commit("one"));
    }

    /// <summary>Live `git cat-file --batch` processes whose working directory (the git dir) is one of gitDirs, read from /proc.</summary>
    private static int RunningBatchProcesses(IEnumerable<string> gitDirs)
    {
        var dirs = gitDirs.Select(d => Path.GetFullPath(d).TrimEnd('/')).ToHashSet(StringComparer.Ordinal);
        var n = 0;
        foreach (var proc in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out _))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(proc, "cmdline")) == "git\0cat-file\0--batch\0"
                    && new DirectoryInfo(Path.Combine(proc, "cwd")).LinkTarget is { } cwd
                    && dirs.Contains(cwd.TrimEnd('/')))
                {
                    n++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Exited while we looked.
            }
        }

        return n;
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

    [Fact]
    public async Task ReadAsync_FourMirrorsCapTwo_AtMostTwoProcessesAndRightObjects()
    {
        var root = TestEnvironment.NewTempDir("catfile-cap");
        var repos = Enumerable.Range(0, 4).Select(i => NewRepo(root, "m" + i, 160 + i)).ToList();
        var git = new GitRunner(2, TimeSpan.FromSeconds(30), null, new SecretRedactorSource(() => SecretRedactor.None));
        var pool = new CatFileBatchPool(git.MaxConcurrent);
        var time = new ManualTimeProvider();
        var batches = repos.Select(r => new CatFileBatch(git, r.GitDir, time, TimeSpan.FromMinutes(2), pool)).ToList();
        try
        {
            var live = new List<int>();
            var onDisk = new List<int>();
            var answers = new List<string?>();
            foreach (var i in new[] { 0, 1, 2, 3, 0, 2, 1, 3 })
            {
                var gomod = await batches[i].ReadAsync(repos[i].Head + ":go.mod", "blob", 1 << 20, CancellationToken.None);
                answers.Add(gomod is { } g ? Encoding.UTF8.GetString(g.Data) : null);
                live.Add(batches.Count(b => b.IsRunning));
                onDisk.Add(RunningBatchProcesses(repos.Select(r => r.GitDir)));
            }

            Assert.Equal(new[] { 0, 1, 2, 3, 0, 2, 1, 3 }.Select(i => $"module example.test/m{i}\n"), answers);
            Assert.Equal([1, 2, 2, 2, 2, 2, 2, 2], live);
            Assert.Equal(live, onDisk);
            Assert.Equal(2, pool.PeakLive);
            // The least recently used idle process made room: after reading 1 then 3, those two are left.
            Assert.Equal([false, true, false, true], batches.Select(b => b.IsRunning));
            Assert.All(batches, b => Assert.Equal(0, b.OneShots));
        }
        finally
        {
            batches.ForEach(b => b.Dispose());
        }

        Assert.Equal(0, pool.Live);
        Assert.Equal(0, RunningBatchProcesses(repos.Select(r => r.GitDir)));
    }

    [Fact]
    public async Task ReadAsync_EveryBatchBusy_BusyKeptAndReadAnsweredByOneShot()
    {
        var root = TestEnvironment.NewTempDir("catfile-busy");
        var a = NewRepo(root, "a", 170);
        var b = NewRepo(root, "b", 171);
        // The wait for a free batch is bounded by the git timeout: keep it short here.
        var git = new GitRunner(1, TimeSpan.FromSeconds(2), null, new SecretRedactorSource(() => SecretRedactor.None));
        var pool = new CatFileBatchPool(git.MaxConcurrent);
        var time = new ManualTimeProvider();
        using var batchA = new CatFileBatch(git, a.GitDir, time, TimeSpan.FromMinutes(2), pool);
        using var batchB = new CatFileBatch(git, b.GitDir, time, TimeSpan.FromMinutes(2), pool);

        await batchA.ReadAsync(a.Head + "^{commit}", "commit", 1 << 20, CancellationToken.None);
        // As if A were in the middle of a read: it must not be stopped to make room for B.
        pool.Busy(batchA);
        var whileBusy = await batchB.ReadAsync(b.Head + ":go.mod", "blob", 1 << 20, CancellationToken.None);
        var missingWhileBusy = await batchB.ReadAsync(b.Head + ":nope", "blob", 1 << 20, CancellationToken.None);
        var aStillRunning = batchA.IsRunning;
        pool.Idle(batchA);
        var afterIdle = await batchB.ReadAsync(b.Head + "^{commit}", "commit", 1 << 20, CancellationToken.None);

        Assert.Equal("module example.test/b\n", Encoding.UTF8.GetString(whileBusy!.Value.Data));
        Assert.Null(missingWhileBusy);
        Assert.True(aStillRunning);
        Assert.Equal(2, batchB.OneShots);
        // Once A was idle again, B took its place.
        Assert.Equal(b.Head, afterIdle?.Oid);
        Assert.Equal(1, batchB.Starts);
        Assert.False(batchA.IsRunning);
        Assert.Equal(1, pool.Live);
    }

    [Fact]
    public async Task ReadAsync_ManyConcurrentReadsOverFourMirrorsCapTwo_AllAnsweredWithinBound()
    {
        var root = TestEnvironment.NewTempDir("catfile-concurrent");
        var repos = Enumerable.Range(0, 4).Select(i => NewRepo(root, "c" + i, 180 + i)).ToList();
        // A long git timeout: a read stuck waiting for room would show as the bounded wait below failing.
        var git = new GitRunner(2, TimeSpan.FromMinutes(10), null, new SecretRedactorSource(() => SecretRedactor.None));
        var pool = new CatFileBatchPool(git.MaxConcurrent);
        var time = new ManualTimeProvider();
        var batches = repos.Select(r => new CatFileBatch(git, r.GitDir, time, TimeSpan.FromMinutes(2), pool)).ToList();
        try
        {
            var reads = Enumerable.Range(0, 48).Select(async n =>
            {
                await Task.Yield();
                var i = n % 4;
                var gomod = await batches[i].ReadAsync(repos[i].Head + ":go.mod", "blob", 1 << 20, CancellationToken.None);
                return (i, Text: gomod is { } g ? Encoding.UTF8.GetString(g.Data) : null);
            });

            var answers = await Task.WhenAll(reads).WaitAsync(TimeSpan.FromSeconds(90));

            Assert.All(answers, a => Assert.Equal($"module example.test/c{a.i}\n", a.Text));
            Assert.InRange(pool.PeakLive, 1, 2);
            Assert.InRange(RunningBatchProcesses(repos.Select(r => r.GitDir)), 1, 2);
            Assert.All(batches, b => Assert.Equal(0, b.OneShots));
        }
        finally
        {
            batches.ForEach(b => b.Dispose());
        }
    }
}
