using System.Collections.Concurrent;
using System.Globalization;

namespace Moddock.Proxy.Sources.Git.Mirrors;

/// <summary>
/// One persistent bare mirror of one remote repository, created once and never re-cloned. Like cmd/go's
/// codehost, it starts shallow (only the commits asked for, --depth=1) and becomes a complete mirror the
/// first time history is needed (pseudo-version bases, ancestry, unknown hashes); from then on it is kept
/// up to date with incremental fetches of all heads and tags. Reads (cat-file, log, archive) need no
/// lock: git's object store and ref updates are atomic. One lock per mirror orders the fetches.
/// </summary>
internal sealed class GitMirror
{
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
    private RefSnapshot? _refs;
    private DateTimeOffset _refreshedAt = DateTimeOffset.MinValue;

    public GitMirror(string directory, Uri remote, GitRunner git, IReadOnlyList<KeyValuePair<string, string>> config, TimeProvider time)
    {
        GitDir = directory;
        Remote = remote;
        _git = git;
        _config = config;
        _time = time;
    }

    public string GitDir { get; }

    public Uri Remote { get; }

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
    /// (list and @latest are cached above us anyway).
    /// </summary>
    public async Task<RefSnapshot> RefreshAsync(TimeSpan minAge, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_refs is not null && _time.GetUtcNow() - _refreshedAt < minAge)
            {
                return _refs;
            }

            await InitAsync(ct).ConfigureAwait(false);
            var ls = await _git.RunAsync(GitDir, ["ls-remote", "-q", "origin"], ct, _config).ConfigureAwait(false);
            if (!ls.Ok)
            {
                throw GitErrors.Classify(Remote, "ls-remote", ls.StdErr);
            }

            var remote = RefSnapshot.Parse(ls.Text);
            var local = KnownRefs;
            if (local is null || !local.Equivalent(remote))
            {
                await WriteAtomicAsync(RefsFile, remote.Serialize(), ct).ConfigureAwait(false);
            }

            _refs = remote;
            _refreshedAt = _time.GetUtcNow();
            return remote;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Makes sure the commit is in the mirror: a --depth=1 fetch of its ref while the mirror is shallow,
    /// an incremental fetch of everything once it is complete. Reading the commit (git log) doubles as
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

            if (!IsComplete && refName is not null && refName.StartsWith("refs/", StringComparison.Ordinal))
            {
                // cmd/go never fetches a bare hash, only named refs, so that commits not reachable from a
                // branch or tag (rejected pull requests) can never become module versions.
                var r = await _git.RunAsync(GitDir, ["-c", "protocol.version=2", "fetch", "-q", "-f", "--depth=1", "origin", "+" + refName + ":" + refName], ct, _config).ConfigureAwait(false);
                if (r.Ok)
                {
                    return true;
                }
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
            var known = KnownRefs?.Serialize();
            if (IsComplete && known is not null && File.ReadAllText(Path.Combine(GitDir, CompleteFile)) == known)
            {
                return;
            }

            await FetchAllLockedAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
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

        var tmp = GitDir + ".init-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(tmp);
        try
        {
            await Must(tmp, ["init", "--bare", "-q"], ct).ConfigureAwait(false);
            await Must(tmp, ["remote", "add", "origin", "--", Remote.OriginalString], ct).ConfigureAwait(false);
            // cmd/go (codehost ensureGitAttributes): make git archive ignore export-subst and
            // export-ignore, so a module's hash does not depend on the repository's .gitattributes.
            var info = Path.Combine(tmp, "info");
            Directory.CreateDirectory(info);
            await File.AppendAllTextAsync(Path.Combine(info, "attributes"), "\n* -export-subst -export-ignore\n", ct).ConfigureAwait(false);
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
        var r = await _git.RunAsync(
            GitDir,
            ["-c", "protocol.version=2", "fetch", "-q", "-f", "--prune", "--no-tags", "origin", "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"],
            ct,
            _config).ConfigureAwait(false);
        if (!r.Ok)
        {
            throw GitErrors.Classify(Remote, "fetch", r.StdErr);
        }

        if (File.Exists(Path.Combine(GitDir, "shallow")))
        {
            var u = await _git.RunAsync(GitDir, ["fetch", "-q", "--unshallow", "-f", "origin"], ct, _config).ConfigureAwait(false);
            if (!u.Ok)
            {
                throw GitErrors.Classify(Remote, "fetch", u.StdErr);
            }
        }

        await WriteAtomicAsync(CompleteFile, snapshot ?? "", ct).ConfigureAwait(false);
    }

    /// <summary>The commit rev names in the mirror (hash or hash prefix, or a full ref name), or null.</summary>
    public async Task<CommitInfo?> StatAsync(string rev, CancellationToken ct)
    {
        if (_commits.TryGetValue(rev, out var cached) && cached is not null)
        {
            return cached;
        }

        var r = await _git.RunAsync(
            GitDir, ["-c", "log.showsignature=false", "log", "--no-decorate", "-n1", "--format=format:%H %ct", rev, "--"], ct).ConfigureAwait(false);
        if (!r.Ok)
        {
            return null;
        }

        var f = r.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 2 || !RefSnapshot.IsHash(f[0]) || !long.TryParse(f[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix))
        {
            return null;
        }

        var info = new CommitInfo(f[0], DateTimeOffset.FromUnixTimeSeconds(unix));
        _commits[info.Hash] = info;
        if (RefSnapshot.IsHash(rev))
        {
            _commits[rev] = info;
        }

        return info;
    }

    /// <summary>A file's bytes at a commit, or null when it does not exist (or is larger than max).</summary>
    public async Task<byte[]?> ReadFileAsync(string hash, string path, long max, CancellationToken ct)
    {
        // Content at a commit never changes: small files (go.mod, LICENSE) are read once.
        var key = hash + ":" + path;
        if (_files.TryGetValue(key, out var cached))
        {
            return cached;
        }

        try
        {
            var r = await _git.RunAsync(GitDir, ["cat-file", "blob", key], ct, maxStdOut: max).ConfigureAwait(false);
            var data = r.Ok ? r.StdOut : null;
            if (data is null || data.Length <= MaxCachedFileBytes)
            {
                if (_files.Count >= MaxCachedFiles)
                {
                    _files.Clear();
                }

                _files[key] = data;
            }

            return data;
        }
        catch (DirectFailureException e) when (e.Kind == DirectFailureKind.TooLarge)
        {
            throw new DirectFailureException(DirectFailureKind.TooLarge, $"{path} at {hash[..12]} is larger than {max} bytes");
        }
    }

    /// <summary>Tag names (without refs/tags/) reachable from hash, as `git for-each-ref --merged` lists them.</summary>
    public async Task<IReadOnlyList<string>> TagsMergedIntoAsync(string hash, CancellationToken ct)
    {
        await EnsureCompleteAsync(ct).ConfigureAwait(false);
        var r = await _git.RunAsync(GitDir, ["for-each-ref", "--format", "%(refname)", "refs/tags", "--merged", hash], ct).ConfigureAwait(false);
        if (!r.Ok)
        {
            return [];
        }

        return r.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("refs/tags/", StringComparison.Ordinal))
            .Select(l => l["refs/tags/".Length..])
            .ToList();
    }

    public async Task<bool> IsAncestorAsync(string tag, string hash, CancellationToken ct)
    {
        await EnsureCompleteAsync(ct).ConfigureAwait(false);
        var r = await _git.RunAsync(GitDir, ["merge-base", "--is-ancestor", "--", "refs/tags/" + tag, hash], ct).ConfigureAwait(false);
        return r.Ok;
    }

    /// <summary>
    /// `git archive` of hash (limited to subdir when given) into outputFile, with the line-ending
    /// settings cmd/go uses so the bytes do not depend on the host (codehost ReadZip).
    /// Returns false when subdir has no files at that commit.
    /// </summary>
    public async Task<bool> ArchiveAsync(string hash, string subdir, string outputFile, long maxBytes, CancellationToken ct)
    {
        var args = new List<string> { "-c", "core.autocrlf=input", "-c", "core.eol=lf", "archive", "--format=zip", "--prefix=prefix/", hash };
        if (subdir.Length > 0)
        {
            args.Add("--");
            args.Add(subdir);
        }

        var r = await _git.RunAsync(GitDir, args, ct, maxStdOut: maxBytes, outputFile: outputFile, timeoutOverride: _git.Timeout * 2).ConfigureAwait(false);
        if (!r.Ok)
        {
            if (r.StdErr.Contains("did not match any files", StringComparison.Ordinal))
            {
                return false;
            }

            throw new DirectFailureException(DirectFailureKind.Other, $"git archive failed for {Remote.Host}: {FirstLine(r.StdErr)}");
        }

        return true;
    }

    private async Task Must(string dir, IReadOnlyList<string> args, CancellationToken ct)
    {
        var r = await _git.RunAsync(dir, args, ct).ConfigureAwait(false);
        if (!r.Ok)
        {
            throw new DirectFailureException(DirectFailureKind.Other, $"git {GitRunner.Describe(args)} failed: {FirstLine(r.StdErr)}");
        }
    }

    internal static string FirstLine(string s)
    {
        var line = s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return line.Length > 300 ? line[..300] : line;
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
