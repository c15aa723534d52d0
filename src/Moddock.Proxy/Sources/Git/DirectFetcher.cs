using Moddock.Modules;
using Moddock.Modules.Zip;
using Moddock.Proxy.Sources.Git.Credentials;
using Moddock.Proxy.Sources.Git.Finding;
using Moddock.Proxy.Sources.Git.Mirrors;
using Moddock.Proxy.Sources.Git.Versions;

namespace Moddock.Proxy.Sources.Git;

/// <summary>
/// Direct mode end to end, in plain values: find the repository, bring its mirror up to date when
/// needed, and answer with cmd/go's rules. Expected failures surface as DirectFailureException, which
/// DirectSource turns into SourceFailure values.
/// </summary>
internal sealed class DirectFetcher : IDisposable
{
    private readonly DirectSourceOptions _options;
    private readonly RepoFinder _finder;
    private readonly GitMirrorStore _mirrors;
    private readonly ModProxyClient _modProxy;

    public DirectFetcher(DirectSourceOptions options, HttpClient http, TimeProvider time)
    {
        _options = options;
        Credentials = options.BuildCredentials();
        var sshCommand = options.SshKeyPath is { Length: > 0 } || options.SshKnownHostsPath is { Length: > 0 }
            ? DirectSourceOptions.BuildSshCommand(options)
            : null;
        var credentials = Credentials;
        Git = new GitRunner(options.MaxConcurrentGit, options.GitTimeout, sshCommand, new SecretRedactorSource(() => credentials.Redactor));
        _mirrors = new GitMirrorStore(options.StorageDirectory, Git, Credentials, time);
        _finder = new RepoFinder(options.RewriteRules, PathPatterns.Parse(options.Insecure), http, Git, Credentials, options.ProbeTimeout, time, _mirrors.Exists, SeedRefs);
        _modProxy = new ModProxyClient(http, Credentials, options.GitTimeout);
    }

    public CredentialSet Credentials { get; }

    public void Dispose() => _mirrors.Dispose();

    /// <summary>A scheme probe's ls-remote listing becomes the new mirror's first refs (no second ls-remote).</summary>
    private void SeedRefs(string url, string listing)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var remote))
        {
            _mirrors.Get(remote).SeedRefs(listing);
        }
    }

    public GitRunner Git { get; }

    public async Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken ct)
    {
        return await WithRepoAsync(
            path,
            root => _modProxy.ListAsync(root.Url, path, ct),
            repo => repo.VersionsAsync(fresh: true, ct),
            ct).ConfigureAwait(false);
    }

    public async Task<(RevInfo? Info, string? RawJson)> InfoAsync(string path, string query, CancellationToken ct)
    {
        return await WithRepoAsync<(RevInfo?, string?)>(
            path,
            async root => (null, await _modProxy.InfoAsync(root.Url, path, query, ct).ConfigureAwait(false)),
            async repo => (await repo.StatAsync(query, ct).ConfigureAwait(false), null),
            ct).ConfigureAwait(false);
    }

    /// <summary>The highest non-retracted release, else pre-release, else the default branch head as a pseudo-version.</summary>
    public Task<(RevInfo? Info, string? RawJson)> LatestAsync(string path, CancellationToken ct) =>
        WithRepoAsync<(RevInfo?, string?)>(
            path,
            async root => (null, await _modProxy.LatestAsync(root.Url, path, ct).ConfigureAwait(false)),
            async repo => (await LatestAsync(repo, ct).ConfigureAwait(false), null),
            ct);

    private static async Task<RevInfo> LatestAsync(ModuleRepo repo, CancellationToken ct)
    {
        var versions = await repo.VersionsAsync(fresh: true, ct).ConfigureAwait(false);
        var retracted = await repo.IsRetractedAsync(ct).ConfigureAwait(false);
        var releases = new List<string>();
        var prereleases = new List<string>();
        string? lastCompatible = null;
        foreach (var v in versions.Where(v => !retracted(v)))
        {
            if (!v.EndsWith("+incompatible", StringComparison.Ordinal))
            {
                lastCompatible = v;
            }
            else if (lastCompatible is not null && await repo.ReadFileAsync(lastCompatible, "go.mod", ModuleRepo.MaxGoMod, ct).ConfigureAwait(false) is not null)
            {
                // cmd/go modload: a compatible version with a go.mod outranks every +incompatible one.
                break;
            }

            (Semver.Prerelease(v).Length > 0 ? prereleases : releases).Add(v);
        }

        var pick = releases.Count > 0 ? releases[^1] : prereleases.Count > 0 ? prereleases[^1] : null;
        return pick is not null ? await repo.StatAsync(pick, ct).ConfigureAwait(false) : await repo.HeadAsync(ct).ConfigureAwait(false);
    }

    public async Task<byte[]> ModAsync(string path, string version, CancellationToken ct)
    {
        return await WithRepoAsync(
            path,
            root => _modProxy.ModAsync(root.Url, path, version, ct),
            repo => repo.GoModAsync(version, ct),
            ct).ConfigureAwait(false);
    }

    public async Task<long> ZipAsync(string path, string version, Stream destination, CancellationToken ct)
    {
        // A retry after a corrupt mirror is safe only while nothing has been written to the client's stream.
        var tracked = new CountingStream(destination);
        return await WithRepoAsync(
            path,
            root => _modProxy.ZipAsync(root.Url, path, version, destination, ct),
            repo => repo.ZipAsync(version, tracked, _mirrors.TempDir, _options.MaxArchiveBytes, ct),
            ct,
            retryable: () => tracked.Written == 0).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs one answer on the module's repository (or its mod proxy). A mirror is a cache: when the answer
    /// failed in a way a damaged object store explains and git fsck confirms the damage, the mirror is
    /// rebuilt from the remote and the answer computed once more, instead of failing until someone
    /// deletes the directory by hand.
    /// </summary>
    private async Task<T> WithRepoAsync<T>(
        string path, Func<RepoRoot, Task<T>> viaModProxy, Func<ModuleRepo, Task<T>> run, CancellationToken ct, Func<bool>? retryable = null)
    {
        var (repo, root) = await OpenAsync(path, ct).ConfigureAwait(false);
        if (repo is null)
        {
            return await viaModProxy(root).ConfigureAwait(false);
        }

        try
        {
            return await run(repo).ConfigureAwait(false);
        }
        catch (Exception e) when (MayBeCorruptMirror(e) && (retryable?.Invoke() ?? true))
        {
            if (!await repo.Mirror.DiscardIfCorruptAsync(ct).ConfigureAwait(false))
            {
                // Sound after all. Reads take no lock, so another process sharing the storage may have been fetching
                // into the mirror: a small fetch unpacks loose objects one by one, and a commit or tree can be readable
                // before the blobs it lists. The check above waited for that fetch (it takes the mirror's file lock),
                // so the answer is computed once more with fresh reads; a second failure is the answer.
                await repo.Mirror.RestartReadsAsync().ConfigureAwait(false);
            }
        }

        (repo, _) = await OpenAsync(path, ct).ConfigureAwait(false);
        return await run(repo!).ConfigureAwait(false);
    }

    private static readonly string[] CorruptionMarkers =
    [
        "cat-file --batch", "corrupt", "inflate", "bad object", "invalid object", "unable to unpack", "unable to read",
        "missing blob", "missing tree", "missing commit", "is empty", "did not send all necessary objects", "unexpected answer",
        "could not read", "mirror may be corrupt",
    ];

    private static bool MayBeCorruptMirror(Exception e) =>
        e is IOException and not DirectoryNotFoundException and not FileNotFoundException
        || (e is DirectFailureException { Kind: DirectFailureKind.Other or DirectFailureKind.Invalid } d
            && CorruptionMarkers.Any(m => d.Message.Contains(m, StringComparison.OrdinalIgnoreCase)));

    private async Task<(ModuleRepo? Repo, RepoRoot Root)> OpenAsync(string path, CancellationToken ct)
    {
        var root = await _finder.FindAsync(path, ct).ConfigureAwait(false);
        if (root.IsModProxy)
        {
            return (null, root);
        }

        if (!Uri.TryCreate(root.Url, UriKind.Absolute, out var remote))
        {
            throw new DirectFailureException(DirectFailureKind.NotFound, $"{path}: invalid repository URL");
        }

        var mirror = _mirrors.Get(remote);
        return (ModuleRepo.Create(mirror, root.Root, path, _options.RefreshInterval), root);
    }
}
