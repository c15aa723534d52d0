using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Moddock.Proxy.Sources.Git.Credentials;

namespace Moddock.Proxy.Sources.Git.Mirrors;

/// <summary>
/// The mirrors under the storage directory: one directory per remote URL, named like cmd/go's
/// cache (hex SHA-256 of "git3:" + URL), one in-process object (and so one lock) per repository.
/// When it starts, it removes what a killed process left behind (see SweepLeftovers).
/// </summary>
internal sealed partial class GitMirrorStore : IDisposable
{
    private readonly ConcurrentDictionary<string, GitMirror> _mirrors = new(StringComparer.Ordinal);
    private readonly GitRunner _git;
    private readonly CredentialSet _credentials;
    private readonly TimeProvider _time;

    public GitMirrorStore(string root, GitRunner git, CredentialSet credentials, TimeProvider time)
    {
        _git = git;
        _credentials = credentials;
        _time = time;
        Root = Path.GetFullPath(root);
        Batches = new CatFileBatchPool(git.MaxConcurrent);
        SweepLeftovers(Root, LeftoverAge(git.Timeout), time.GetUtcNow());
    }

    /// <summary>Bounds the live cat-file --batch processes of all mirrors together.</summary>
    public CatFileBatchPool Batches { get; }

    public string Root { get; }

    public string TempDir
    {
        get
        {
            var d = Path.Combine(Root, "tmp");
            Directory.CreateDirectory(d);
            return d;
        }
    }

    public GitMirror Get(Uri remote) => _mirrors.GetOrAdd(remote.OriginalString, url =>
    {
        Directory.CreateDirectory(Root);
        return new GitMirror(DirectoryFor(url), remote, _git, _credentials.GitConfigFor(remote), _time, Batches);
    });

    /// <summary>Stops every mirror's long-running git process.</summary>
    public void Dispose()
    {
        foreach (var m in _mirrors.Values)
        {
            m.Dispose();
        }
    }

    /// <summary>Whether a mirror of this URL is already on disk (then its scheme needs no probing).</summary>
    public bool Exists(string url) => Directory.Exists(Path.Combine(DirectoryFor(url), "objects"));

    private string DirectoryFor(string url) =>
        Path.Combine(Root, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("git3:" + url))));

    /// <summary>
    /// Leftovers must be this old before they are swept: other processes may share the storage directory
    /// and be writing them right now. A spool is written for at most 2 git timeouts (git archive's own
    /// timeout) and its time is updated while it is written; a new mirror is built aside in moments.
    /// </summary>
    internal static TimeSpan LeftoverAge(TimeSpan gitTimeout) => gitTimeout * 2;

    /// <summary>
    /// Removes what a killed process (kill -9, OOM, power loss) leaves under the mirror root and nobody
    /// else would: archive spools in tmp/ (up to 4 × the module limit each) and half-built mirrors
    /// (&lt;name&gt;.init-&lt;id&gt;), and corrupt mirrors set aside (&lt;name&gt;.corrupt-&lt;id&gt;). DiskModuleStore's own sweep leaves vcs/ alone, so it is done here.
    /// Only names Moddock itself makes are touched. Returns how many were removed.
    /// </summary>
    internal static int SweepLeftovers(string root, TimeSpan olderThan, DateTimeOffset now)
    {
        if (!Directory.Exists(root))
        {
            return 0;
        }

        var cutoff = now.UtcDateTime - olderThan;
        var removed = 0;
        var tmp = Path.Combine(root, "tmp");
        if (Directory.Exists(tmp))
        {
            foreach (var f in Directory.EnumerateFiles(tmp, "archive-*.tar"))
            {
                if (SpoolName().IsMatch(Path.GetFileName(f)) && File.GetLastWriteTimeUtc(f) < cutoff && TryRemove(() => File.Delete(f)))
                {
                    removed++;
                }
            }
        }

        foreach (var d in Directory.EnumerateDirectories(root, "*.*-*"))
        {
            if ((InitName().IsMatch(Path.GetFileName(d)) || CorruptName().IsMatch(Path.GetFileName(d))) && Directory.GetLastWriteTimeUtc(d) < cutoff && TryRemove(() => Directory.Delete(d, recursive: true)))
            {
                removed++;
            }
        }

        return removed;
    }

    private static bool TryRemove(Action remove)
    {
        try
        {
            remove();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    [GeneratedRegex("^archive-[0-9a-f]{32}\\.tar$")]
    private static partial Regex SpoolName();

    [GeneratedRegex("^[0-9a-f]{64}\\.init-[0-9a-f]{8}$")]
    private static partial Regex InitName();

    /// <summary>A corrupt mirror moved aside (GitMirror.DiscardIfCorruptAsync) whose deletion was cut short.</summary>
    [GeneratedRegex("^[0-9a-f]{64}\\.corrupt-[0-9a-f]{8}$")]
    private static partial Regex CorruptName();
}
