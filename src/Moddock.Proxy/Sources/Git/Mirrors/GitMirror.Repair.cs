namespace Moddock.Proxy.Sources.Git.Mirrors;

/// <summary>
/// A mirror's recovery from what killed git processes and damaged disks leave behind: git's stale lock files, and
/// an object store that fails <c>git fsck</c>. A mirror is only a cache of its remote, so the cure for damage is
/// to move it aside and fetch again.
/// </summary>
internal sealed partial class GitMirror
{
    /// <summary>
    /// git's own lock files (shallow.lock, packed-refs.lock, refs/**.lock, config.lock …) outlive a git
    /// process that is SIGKILLed mid-fetch (our timeout kill, kill -9, OOM), and git then refuses every
    /// later fetch ("Unable to create '…/shallow.lock': File exists") until someone deletes them by hand.
    /// Every git command that writes this mirror runs under our file lock, which we hold now: any such
    /// file is left over from a dead process, never the mark of a live one.
    /// </summary>
    private void RemoveStaleGitLocks()
    {
        if (!Directory.Exists(GitDir))
        {
            return;
        }

        var top = Directory.EnumerateFiles(GitDir, "*.lock", SearchOption.TopDirectoryOnly);
        var refs = Path.Combine(GitDir, "refs");
        var underRefs = Directory.Exists(refs) ? Directory.EnumerateFiles(refs, "*.lock", SearchOption.AllDirectories) : [];
        foreach (var f in top.Concat(underRefs).ToList())
        {
            try
            {
                File.Delete(f);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>
    /// After a failure that may come from a damaged object store (cat-file died, git said "corrupt" or
    /// "inflate"), `git fsck` decides; a mirror that fails it is moved aside and deleted, so the next
    /// request builds a new one from the remote (a mirror is only a cache). True when it was discarded
    /// (or is gone already), false when it is sound and the failure was something else.
    /// </summary>
    public async Task<bool> DiscardIfCorruptAsync(CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var held = await LockFileAsync(ct).ConfigureAwait(false);
            if (!Directory.Exists(Path.Combine(GitDir, "objects")))
            {
                // Another process found it corrupt first and removed it.
                ForgetState();
                return true;
            }

            GitCommandResult fsck;
            try
            {
                fsck = await _git.RunAsync(GitDir, ["fsck", "--no-dangling", "--no-progress"], ct, _config).ConfigureAwait(false);
            }
            catch (DirectFailureException)
            {
                return false;
            }

            if (fsck.Ok)
            {
                return false;
            }

            await _batch.ResetAsync().ConfigureAwait(false);
            var aside = GitDir + ".corrupt-" + Guid.NewGuid().ToString("N")[..8];
            Directory.Move(GitDir, aside);
            TryDelete(aside);
            ForgetState();
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    private void ForgetState()
    {
        _refs = null;
        _refreshedAt = DateTimeOffset.MinValue;
        _refreshStartedAt = DateTimeOffset.MinValue;
        _seed = null;
        _commits.Clear();
        _files.Clear();
    }

    /// <summary>Restarts the object reader, so that objects another process wrote since are seen afresh.</summary>
    public Task RestartReadsAsync() => _batch.ResetAsync();

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
