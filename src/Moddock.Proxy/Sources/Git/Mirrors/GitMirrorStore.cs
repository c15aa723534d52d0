using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Moddock.Proxy.Sources.Git.Credentials;

namespace Moddock.Proxy.Sources.Git.Mirrors;

/// <summary>
/// The mirrors under the storage directory: one directory per remote URL, named like cmd/go's
/// cache (hex SHA-256 of "git3:" + URL), one in-process object (and so one lock) per repository.
/// </summary>
internal sealed class GitMirrorStore(string root, GitRunner git, CredentialSet credentials, TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<string, GitMirror> _mirrors = new(StringComparer.Ordinal);

    /// <summary>Bounds the live cat-file --batch processes of all mirrors together.</summary>
    public CatFileBatchPool Batches { get; } = new(git.MaxConcurrent);

    public string Root { get; } = Path.GetFullPath(root);

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
        return new GitMirror(DirectoryFor(url), remote, git, credentials.GitConfigFor(remote), time, Batches);
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
}
