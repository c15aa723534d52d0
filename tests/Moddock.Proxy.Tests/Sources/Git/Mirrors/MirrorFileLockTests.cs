using System.Diagnostics;
using Moddock.Modules;
using Moddock.Proxy.Sources.Git;
using Moddock.Proxy.Sources.Git.Mirrors;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Git.Mirrors;

/// <summary>The OS lock next to each mirror: exclusive across instances and processes, bounded waits.</summary>
public sealed class MirrorFileLockTests
{
    [Fact]
    public async Task AcquireAsync_HeldByAnotherInstance_WaitsThenTimesOutAndSucceedsOnceReleased()
    {
        var path = Path.Combine(TestEnvironment.NewTempDir("mirror-lock"), "m.lock");
        var first = await MirrorFileLock.AcquireAsync(path, TimeSpan.FromSeconds(5), CancellationToken.None);

        var none = MirrorFileLock.TryAcquire(path);
        var timedOut = await Assert.ThrowsAsync<DirectFailureException>(() => MirrorFileLock.AcquireAsync(path, TimeSpan.FromMilliseconds(200), CancellationToken.None));
        var waiting = MirrorFileLock.AcquireAsync(path, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        first.Dispose();
        using var second = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Null(none);
        Assert.Equal(DirectFailureKind.Timeout, timedOut.Kind);
        Assert.Contains("locked by another process", timedOut.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryAcquire_HeldByAnotherProcess_RefusedUntilThatProcessExits()
    {
        var path = Path.Combine(TestEnvironment.NewTempDir("mirror-lock-proc"), "m.lock");
        // util-linux flock(1) takes the same flock(2) lock .NET takes for FileShare.None; -o keeps it in flock itself.
        var psi = new ProcessStartInfo("flock", ["-o", "-x", path, "sleep", "60"]) { UseShellExecute = false };
        using var holder = Process.Start(psi)!;
        try
        {
            var deadline = Stopwatch.StartNew();
            while (!File.Exists(path) && deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(20);
            }

            // flock creates the file before it locks it: give it a moment, bounded.
            Thread.Sleep(200);
            var whileHeld = MirrorFileLock.TryAcquire(path);

            holder.Kill(entireProcessTree: true);
            Assert.True(holder.WaitForExit(10_000));
            using var afterExit = MirrorFileLock.TryAcquire(path);

            Assert.Null(whileHeld);
            Assert.NotNull(afterExit);

            // And the other way round: while Moddock holds it, another process cannot take it.
            var probe = ProcessRunner.Run("flock", ["-n", "-x", path, "true"], timeout: TimeSpan.FromSeconds(10));
            Assert.NotEqual(0, probe.ExitCode);
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Info_TwoSourcesShareOneStorageDirectory_BothSucceedAndMirrorStaysSound()
    {
        var repo = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("shared-lock"), 130);
        repo.Write("go.mod", "module example.test/shared-lock.git\n").Write("a.go", "package a\n");
        repo.Commit("one");
        repo.Tag("v1.0.0");
        repo.Write("b.go", "package a // b\n");
        repo.Commit("two");
        repo.AnnotatedTag("v1.1.0");
        repo.Write("c.go", "package a // c\n");
        repo.Commit("three");
        var storage = TestEnvironment.NewTempDir("direct-shared");

        // Two sources with their own in-process locks, as two `moddock serve` processes would have.
        DirectSourceOptions Options() => new() { StorageDirectory = storage, RefreshInterval = TimeSpan.Zero, NetrcPath = "/dev/null" };
        using var a = new DirectSource(Options());
        using var b = new DirectSource(Options());
        var path = ModulePath.Parse("example.test/shared-lock.git");
        string[] queries = ["v1.0.0", "v1.1.0", "main", "v1.0.0", "main", "v1.1.0"];

        var results = await Task.WhenAll(queries.Select((q, i) => (i % 2 == 0 ? a : b).InfoAsync(path, q, CancellationToken.None)));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Failure?.Reason));
        Assert.Equal(results[0].Value!.Version, results[3].Value!.Version);
        Assert.Equal(results[2].Value!.Version, results[4].Value!.Version);
        var mirror = Assert.Single(Directory.GetDirectories(storage), d => !d.EndsWith("tmp", StringComparison.Ordinal));
        var fsck = ProcessRunner.Run("git", ["--git-dir", mirror, "fsck", "--no-dangling"], timeout: TimeSpan.FromSeconds(60));
        Assert.True(fsck.ExitCode == 0, fsck.StdErr);
        Assert.True(File.Exists(mirror + ".lock"));
    }

    [Fact]
    public async Task RefreshAsync_OtherProcessHoldsLockLongerThanOneGitTimeout_WaitsAndSucceeds()
    {
        var repo = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("long-lock"), 135);
        repo.Write("go.mod", "module example.test/long-lock.git\n");
        repo.Commit("one");
        repo.Tag("v1.0.0");
        var gitTimeout = TimeSpan.FromSeconds(2);
        var git = new GitRunner(2, gitTimeout, null, new SecretRedactorSource(() => Moddock.Proxy.Sources.Git.Credentials.SecretRedactor.None));
        var dir = Path.Combine(TestEnvironment.NewTempDir("long-lock-mirror"), "m");
        using var mirror = new GitMirror(dir, new Uri("file://" + repo.Dir), git, [], TimeProvider.System, new CatFileBatchPool(2));
        // Another process in the middle of EnsureCommitAsync (a shallow fetch, then a full one) holds the
        // lock for more than one git timeout: that is legitimate, the waiter must not give up.
        var held = await MirrorFileLock.AcquireAsync(dir + ".lock", gitTimeout, CancellationToken.None);
        var release = Task.Run(async () =>
        {
            await Task.Delay(gitTimeout * 1.5);
            held.Dispose();
        });

        var refs = await mirror.RefreshAsync(TimeSpan.Zero, CancellationToken.None);
        await release;

        Assert.Equal(repo.Git("rev-parse", "v1.0.0").Trim(), refs.Tag("v1.0.0"));
    }
}
