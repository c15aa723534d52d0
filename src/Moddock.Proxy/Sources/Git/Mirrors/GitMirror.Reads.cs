using System.Globalization;

namespace Moddock.Proxy.Sources.Git.Mirrors;

/// <summary>
/// Reads from the mirror: commits and files through the mirror's cat-file --batch (no lock: objects
/// never change), ancestry and tags for pseudo-versions, and the archive a module zip is built from.
/// </summary>
internal sealed partial class GitMirror
{
    /// <summary>The commit rev names in the mirror (hash or hash prefix, or a full ref name), or null.</summary>
    public async Task<CommitInfo?> StatAsync(string rev, CancellationToken ct)
    {
        if (_commits.TryGetValue(rev, out var cached) && cached is not null)
        {
            return cached;
        }

        if (!Directory.Exists(Path.Combine(GitDir, "objects")))
        {
            return null;
        }

        var commit = await _batch.ReadAsync(rev + "^{commit}", "commit", 16 << 20, ct).ConfigureAwait(false);
        if (commit is null && !RefSnapshot.IsHash(rev))
        {
            // An abbreviated hash is looked up in the packs the process opened when it started: another
            // process may have fetched since, so ask a fresh one before saying no.
            await _batch.ResetAsync().ConfigureAwait(false);
            commit = await _batch.ReadAsync(rev + "^{commit}", "commit", 16 << 20, ct).ConfigureAwait(false);
        }

        if (commit is not { } c || !RefSnapshot.IsHash(c.Oid) || CommitterTime(c.Data) is not { } unix)
        {
            return null;
        }

        var info = new CommitInfo(c.Oid, DateTimeOffset.FromUnixTimeSeconds(unix));
        _commits[info.Hash] = info;
        if (RefSnapshot.IsHash(rev))
        {
            _commits[rev] = info;
        }

        return info;
    }

    /// <summary>
    /// git says "missing" both for a path the commit does not have and for one whose object the mirror
    /// lost. Only the first may read as "no such file": a lost go.mod would otherwise become a
    /// synthesized `module M` go.mod, a lost LICENSE a zip without it, with other hashes than cmd/go's.
    /// So the directory's tree is read and must not list the name as a file (nor, going up, as a
    /// directory whose tree is gone).
    /// </summary>
    private async Task CheckAbsentAsync(string hash, string path, CancellationToken ct)
    {
        var slash = path.LastIndexOf('/');
        var dir = slash < 0 ? "" : path[..slash];
        var name = path[(slash + 1)..];
        var tree = await _batch.ReadAsync(dir.Length == 0 ? hash + "^{tree}" : hash + ":" + dir, "tree", 16 << 20, ct).ConfigureAwait(false);
        if (tree is null)
        {
            if (dir.Length == 0)
            {
                throw Lost($"the tree of commit {hash[..12]}");
            }

            // No such directory, a file of that name, or a directory whose tree is lost: ask its parent.
            if (await EntryModeAsync(hash, dir, ct).ConfigureAwait(false) == "40000")
            {
                throw Lost($"directory {dir} at {hash[..12]}");
            }

            return;
        }

        // A file (100644, 100755, and 1006xx in old repositories) or a symlink: its blob should be here.
        if (TreeEntryMode(tree.Value.Data, name) is { } mode && (mode.StartsWith("100", StringComparison.Ordinal) || mode == "120000"))
        {
            throw Lost($"{path} at {hash[..12]}");
        }
    }

    /// <summary>The mode of path's entry in its directory's tree, or null when the entry (or the directory) is not there.</summary>
    private async Task<string?> EntryModeAsync(string hash, string path, CancellationToken ct)
    {
        var slash = path.LastIndexOf('/');
        var dir = slash < 0 ? "" : path[..slash];
        var tree = await _batch.ReadAsync(dir.Length == 0 ? hash + "^{tree}" : hash + ":" + dir, "tree", 16 << 20, ct).ConfigureAwait(false);
        if (tree is null)
        {
            if (dir.Length == 0 || await EntryModeAsync(hash, dir, ct).ConfigureAwait(false) == "40000")
            {
                throw Lost(dir.Length == 0 ? $"the tree of commit {hash[..12]}" : $"directory {dir} at {hash[..12]}");
            }

            return null;
        }

        return TreeEntryMode(tree.Value.Data, path[(slash + 1)..]);
    }

    /// <summary>In a raw tree object ("MODE NAME\0" + 20-byte id, repeated), the mode of the entry called name.</summary>
    internal static string? TreeEntryMode(byte[] tree, string name)
    {
        var want = System.Text.Encoding.UTF8.GetBytes(name);
        var i = 0;
        while (i < tree.Length)
        {
            var space = Array.IndexOf(tree, (byte)' ', i);
            var nul = space < 0 ? -1 : Array.IndexOf(tree, (byte)0, space);
            if (nul < 0 || nul + 21 > tree.Length)
            {
                return null;
            }

            if (tree.AsSpan(space + 1, nul - space - 1).SequenceEqual(want))
            {
                return System.Text.Encoding.ASCII.GetString(tree, i, space - i);
            }

            i = nul + 21;
        }

        return null;
    }

    private static DirectFailureException Lost(string what) =>
        new(DirectFailureKind.Other, $"{what} is listed but its object is missing: the mirror may be corrupt");

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
            var data = Directory.Exists(Path.Combine(GitDir, "objects"))
                ? (await _batch.ReadAsync(key, "blob", max, ct).ConfigureAwait(false))?.Data
                : null;
            if (data is null)
            {
                await CheckAbsentAsync(hash, path, ct).ConfigureAwait(false);
            }
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
        // A commit missing from the history (a damaged mirror) makes for-each-ref --merged list fewer tags
        // and still exit 0: the pseudo-version would get a lower base than cmd/go computes, silently.
        // rev-list walks the same history and does fail on it.
        var walk = await _git.RunAsync(GitDir, ["rev-list", "--quiet", hash, "--"], ct).ConfigureAwait(false);
        if (!walk.Ok)
        {
            throw new DirectFailureException(DirectFailureKind.Other, "git rev-list failed, the mirror may be corrupt: " + FirstLine(walk.StdErr));
        }

        var r = await _git.RunAsync(GitDir, ["for-each-ref", "--format", "%(refname)", "refs/tags", "--merged", hash], ct).ConfigureAwait(false);
        if (!r.Ok || r.StdErr.Contains("error:", StringComparison.Ordinal) || r.StdErr.Contains("fatal:", StringComparison.Ordinal))
        {
            throw new DirectFailureException(DirectFailureKind.Other, "git for-each-ref --merged failed, the mirror may be corrupt: " + FirstLine(r.StdErr));
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
        // Exit 1 means "not an ancestor"; anything else (or an error on the way) is not an answer.
        if (r.ExitCode is not (0 or 1) || r.StdErr.Contains("error:", StringComparison.Ordinal) || r.StdErr.Contains("fatal:", StringComparison.Ordinal))
        {
            throw new DirectFailureException(DirectFailureKind.Other, "git merge-base --is-ancestor failed, the mirror may be corrupt: " + FirstLine(r.StdErr));
        }

        return r.Ok;
    }

    /// <summary>
    /// `git archive` of hash (limited to subdir when given) into outputFile, with the line-ending
    /// settings cmd/go uses so the bytes do not depend on the host (codehost ReadZip). cmd/go asks for
    /// a zip; Moddock asks for a tar: the same files with the same bytes (eol and filter attributes
    /// apply to the content whatever the format), without git deflating every file and Moddock
    /// inflating it again.
    /// Returns false when subdir has no files at that commit.
    /// </summary>
    public async Task<bool> ArchiveAsync(string hash, string subdir, string outputFile, long maxBytes, CancellationToken ct)
    {
        var args = new List<string> { "-c", "core.autocrlf=input", "-c", "core.eol=lf", "archive", "--format=tar", "--prefix=prefix/", hash };
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

    /// <summary>The committer timestamp (Unix seconds) in a raw commit object's header (what `git log --format=%ct` prints).</summary>
    internal static long? CommitterTime(byte[] commit)
    {
        var text = System.Text.Encoding.UTF8.GetString(commit);
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        foreach (var line in (end < 0 ? text : text[..end]).Split('\n'))
        {
            if (!line.StartsWith("committer ", StringComparison.Ordinal))
            {
                continue;
            }

            // "committer Name <email> 1767225600 +0000": the time follows the last '>'.
            var f = line[(line.LastIndexOf('>') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return f.Length >= 1 && long.TryParse(f[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var t) ? t : null;
        }

        return null;
    }
}
