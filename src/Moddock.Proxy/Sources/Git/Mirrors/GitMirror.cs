using System.Collections.Concurrent;
using System.Globalization;

namespace Moddock.Proxy.Sources.Git.Mirrors;

/// <summary>
/// One persistent bare mirror of one remote repository, created once and never re-cloned. Like cmd/go's
/// codehost, it starts shallow (only the commits asked for, --depth=1) and becomes a complete mirror the
/// first time history is needed (pseudo-version bases, ancestry, unknown hashes); from then on it is kept
/// up to date with incremental fetches of all heads and tags. Reads (cat-file, archive) need no
/// lock: git's object store and ref updates are atomic. Commands that write the mirror (creating it,
/// fetching, recording its refs) hold an in-process lock and an OS file lock next to the mirror, so
/// several Moddock processes may share one storage directory. Object reads go through one long-running
/// `git cat-file --batch` per mirror.
/// </summary>
internal sealed partial class GitMirror : IDisposable
{
    private static readonly TimeSpan BatchIdle = TimeSpan.FromMinutes(2);
    private const string RefsFile = "moddock-refs";
    private const string CompleteFile = "moddock-complete";
    private const int MaxCachedFiles = 2048;
    private const int MaxCachedFileBytes = 1 << 20;
    private readonly GitRunner _git;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _config;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ConcurrentDictionary<string, CommitInfo?> _commits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]?> _files = new(StringComparer.Ordinal);
    private readonly CatFileBatch _batch;
    private readonly string _lockFile;
    private RefSnapshot? _refs;
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;
    private DateTimeOffset _refreshStartedAt = DateTimeOffset.MinValue;
    private (string Output, DateTimeOffset At)? _seed;

    public GitMirror(
        string directory, Uri remote, GitRunner git, IReadOnlyList<KeyValuePair<string, string>> config, TimeProvider time, CatFileBatchPool batches)
    {
        GitDir = directory;
        Remote = remote;
        _git = git;
        _config = config;
        _time = time;
        _lockFile = directory + ".lock";
        _batch = new CatFileBatch(git, directory, time, BatchIdle, batches);
    }

    /// <summary>Processes `git cat-file --batch` started for this mirror so far.</summary>
    public int BatchStarts => _batch.Starts;

    /// <summary>Whether this mirror's `git cat-file --batch` is running now.</summary>
    public bool BatchRunning => _batch.IsRunning;

    /// <summary>
    /// The `git ls-remote` listing a scheme probe just got from this remote: the first refresh uses it
    /// instead of asking the remote again a moment later.
    /// </summary>
    public void SeedRefs(string lsRemoteOutput) => _seed = (lsRemoteOutput, _time.GetUtcNow());

    public void Dispose() => _batch.Dispose();

    /// <summary>
    /// How many git timeouts a process waits for another process' file lock on this mirror. A holder may
    /// legitimately keep it for about two: EnsureCommitAsync runs a --depth=1 fetch and then a full fetch
    /// under one lock, each bounded by the git timeout (RefreshAsync's ls-remote and speculative fetch
    /// run side by side, so one). The third covers its object reads and its waits for a git slot, so a
    /// waiter gives up only when the holder is really stuck.
    /// </summary>
    internal const int FileLockWaitTimeouts = 3;

    private async Task<MirrorFileLock> LockFileAsync(CancellationToken ct)
    {
        var held = await MirrorFileLock.AcquireAsync(_lockFile, _git.Timeout * FileLockWaitTimeouts, ct).ConfigureAwait(false);
        RemoveStaleGitLocks();
        return held;
    }

    public string GitDir { get; }

    public Uri Remote { get; }

    /// <summary>The mirror's clock (callers note when a request arrived, for RefreshAsync's askedAt).</summary>
    public DateTimeOffset Now => _time.GetUtcNow();

    public bool Exists => Directory.Exists(Path.Combine(GitDir, "objects")) && File.Exists(Path.Combine(GitDir, RefsFile));

    /// <summary>The refs as of the last fetch; loaded from disk when the process starts with an existing mirror.</summary>
    public RefSnapshot? KnownRefs
    {
        get
        {
            if (_refs is null && Exists)
            {
                _refs = RefSnapshot.Parse(File.ReadAllText(Path.Combine(GitDir, RefsFile)));
            }

            return _refs;
        }
    }

    /// <summary>
    /// Asks the remote for its refs (ls-remote) and records them; objects are fetched on demand by
    /// EnsureCommitAsync / EnsureCompleteAsync. Skipped when the last refresh is younger than minAge
    /// (list and @latest are cached above us anyway). When the mirror has none of speculativeRef yet
    /// (a tag the caller is about to ask for), its --depth=1 fetch runs alongside ls-remote, so a first
    /// fetch costs one round trip to the remote instead of two.
    /// </summary>
    /// <param name="askedAt">
    /// Instead of minAge: reuse only refs whose ls-remote started after this moment (a caller that must
    /// see what the remote had when its request arrived). Callers queued behind one refresh share it.
    /// </param>
    public async Task<RefSnapshot> RefreshAsync(TimeSpan minAge, CancellationToken ct, string? speculativeRef = null, DateTimeOffset? askedAt = null)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_refs is not null && (askedAt is { } asked ? _refreshStartedAt > asked : _time.GetUtcNow() - _refreshedAt < minAge))
            {
                return _refs;
            }

            var started = _time.GetUtcNow();

            using var held = await LockFileAsync(ct).ConfigureAwait(false);
            await InitAsync(ct).ConfigureAwait(false);
            Task<bool>? speculative = null;
            if (speculativeRef is not null && !IsComplete && !File.Exists(Path.Combine(GitDir, speculativeRef)))
            {
                speculative = FetchShallowAsync(speculativeRef, ct);
            }

            string listing;
            try
            {
                if (_refs is null && _seed is { } seed && _time.GetUtcNow() - seed.At < minAge)
                {
                    listing = seed.Output;
                }
                else
                {
                    var ls = await _git.RunAsync(GitDir, ["ls-remote", "-q", "--", Remote.OriginalString], ct, _config).ConfigureAwait(false);
                    if (!ls.Ok)
                    {
                        throw GitErrors.Classify(Remote, "ls-remote", ls.StdErr);
                    }

                    listing = ls.Text;
                }
            }
            finally
            {
                // The fetch writes the mirror: it must end before the file lock is released, whatever
                // happened to ls-remote. Its failure only means the guess was wrong (no such tag), and
                // EnsureCommitAsync decides what to fetch then.
                if (speculative is not null)
                {
                    try
                    {
                        await speculative.ConfigureAwait(false);
                    }
                    catch (DirectFailureException)
                    {
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            }

            _seed = null;
            var remote = RefSnapshot.Parse(listing);
            var local = KnownRefs;
            if (local is null || !local.Equivalent(remote))
            {
                await WriteAtomicAsync(RefsFile, remote.Serialize(), ct).ConfigureAwait(false);
            }

            _refs = remote;
            _refreshedAt = _time.GetUtcNow();
            _refreshStartedAt = started;
            return remote;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>`git fetch --depth=1` of one named ref (cmd/go never fetches a bare hash); true when it worked.</summary>
    private Task<bool> FetchShallowAsync(string refName, CancellationToken ct) => FetchRefAsync(refName, refName, shallow: true, ct);

    private async Task<bool> FetchRefAsync(string source, string destination, bool shallow, CancellationToken ct)
    {
        var args = new List<string> { "-c", "protocol.version=2", "fetch", "-q", "-f" };
        if (shallow)
        {
            args.Add("--depth=1");
        }

        args.AddRange([Remote.OriginalString, "+" + source + ":" + destination]);
        var r = await _git.RunAsync(GitDir, args, ct, _config).ConfigureAwait(false);
        if (r.Ok)
        {
            await _batch.ResetAsync().ConfigureAwait(false);
        }

        return r.Ok;
    }

    /// <summary>
    /// Makes sure the commit is in the mirror: a --depth=1 fetch of its ref while the mirror is shallow,
    /// an incremental fetch of everything once it is complete. Reading the commit (cat-file) doubles as
    /// the presence check, and its answer is kept for StatAsync.
    /// </summary>
    public async Task<bool> EnsureCommitAsync(string hash, string? refName, CancellationToken ct)
    {
        if (_commits.TryGetValue(hash, out var known) && known is not null)
        {
            return true;
        }

        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (await StatAsync(hash, ct).ConfigureAwait(false) is not null)
            {
                return true;
            }

            using var held = await LockFileAsync(ct).ConfigureAwait(false);
            // Another process may have fetched it while we waited for the file lock.
            if (await StatAsync(hash, ct).ConfigureAwait(false) is not null)
            {
                return true;
            }

            // cmd/go never fetches a bare hash, only named refs, so that commits not reachable from a
            // branch or tag (rejected pull requests) can never become module versions.
            if (!IsComplete && refName is not null && refName.StartsWith("refs/", StringComparison.Ordinal)
                && await FetchShallowAsync(refName, ct).ConfigureAwait(false))
            {
                return true;
            }

            // A HEAD that no branch points at (a detached HEAD) is in no refs/heads or refs/tags fetch:
            // cmd/go (codehost gitRepo.stat) fetches it by its advertised hash into refs/dummy.
            if (refName == "HEAD" && RefSnapshot.IsHash(hash)
                && await FetchRefAsync(hash, "refs/dummy", shallow: !IsComplete, ct).ConfigureAwait(false))
            {
                return true;
            }

            await FetchAllLockedAsync(ct).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Makes the mirror complete (full history of every head and tag) and current with the known refs.</summary>
    public async Task EnsureCompleteAsync(CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (IsCurrent())
            {
                return;
            }

            using var held = await LockFileAsync(ct).ConfigureAwait(false);
            if (!IsCurrent())
            {
                await FetchAllLockedAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private bool IsCurrent()
    {
        var known = KnownRefs?.Serialize();
        return IsComplete && known is not null && File.ReadAllText(Path.Combine(GitDir, CompleteFile)) == known;
    }

    private bool IsComplete => File.Exists(Path.Combine(GitDir, CompleteFile)) && !File.Exists(Path.Combine(GitDir, "shallow"));

    private async Task WriteAtomicAsync(string name, string content, CancellationToken ct)
    {
        var tmp = Path.Combine(GitDir, name + ".tmp");
        await File.WriteAllTextAsync(tmp, content, ct).ConfigureAwait(false);
        File.Move(tmp, Path.Combine(GitDir, name), overwrite: true);
    }

    private async Task InitAsync(CancellationToken ct)
    {
        if (Directory.Exists(Path.Combine(GitDir, "objects")))
        {
            return;
        }

        // The layout `git init --bare` makes (gitrepository-layout: HEAD, config, objects/, refs/), written
        // directly: one git process less on every first fetch. No remote is configured; every command
        // names the URL. Built aside and moved in, so a crash never leaves half a repository behind.
        var tmp = GitDir + ".init-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            foreach (var d in new[] { "objects/info", "objects/pack", "refs/heads", "refs/tags", "info" })
            {
                Directory.CreateDirectory(Path.Combine(tmp, d));
            }

            await File.WriteAllTextAsync(Path.Combine(tmp, "HEAD"), "ref: refs/heads/main\n", ct).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(tmp, "config"), "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n", ct).ConfigureAwait(false);
            // cmd/go (codehost ensureGitAttributes): make git archive ignore export-subst and
            // export-ignore, so a module's hash does not depend on the repository's .gitattributes.
            await File.WriteAllTextAsync(Path.Combine(tmp, "info", "attributes"), "\n* -export-subst -export-ignore\n", ct).ConfigureAwait(false);
            Directory.Move(tmp, GitDir);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    private async Task FetchAllLockedAsync(CancellationToken ct)
    {
        var snapshot = KnownRefs?.Serialize();
        // One negotiation: every head and tag, and, for a shallow mirror, the rest of their history.
        var args = new List<string> { "-c", "protocol.version=2", "fetch", "-q", "-f", "--prune", "--no-tags" };
        if (File.Exists(Path.Combine(GitDir, "shallow")))
        {
            args.Add("--unshallow");
        }

        args.AddRange([Remote.OriginalString, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"]);
        var r = await _git.RunAsync(GitDir, args, ct, _config).ConfigureAwait(false);
        await _batch.ResetAsync().ConfigureAwait(false);
        if (!r.Ok)
        {
            throw GitErrors.Classify(Remote, "fetch", r.StdErr);
        }

        await WriteAtomicAsync(CompleteFile, snapshot ?? "", ct).ConfigureAwait(false);
    }

    internal static string FirstLine(string s)
    {
        var line = s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return line.Length > 300 ? line[..300] : line;
    }
}
