using Moddock.Modules;
using Moddock.Proxy.Sources.Git.Mirrors;

namespace Moddock.Proxy.Sources.Git.Versions;

/// <summary>
/// One module inside one git repository, answering list / info / mod / zip the way cmd/go's
/// modfetch.codeRepo does (go1.19 coderepo.go), over a persistent mirror instead of a per-process
/// clone. One instance serves one request, so it sees one consistent snapshot of the refs.
/// </summary>
internal sealed partial class ModuleRepo
{
    // cmd/go codehost: MaxGoMod, MaxLICENSE, MaxZipFile.
    public const long MaxGoMod = 16 << 20;
    public const long MaxLicense = 16 << 20;
    public const long MaxZipFile = 500L << 20;

    private readonly GitMirror _mirror;
    private readonly TimeSpan _refreshAge;
    private readonly Dictionary<string, CodeRev> _stats = new(StringComparer.Ordinal);
    private RefSnapshot? _refs;
    private bool _refreshed;
    private bool _askedForUnknown;
    private Func<string, bool>? _isRetracted;

    private ModuleRepo(GitMirror mirror, TimeSpan refreshAge, string modPath, string codeRoot, string codeDir, string pathPrefix, string pathMajor)
    {
        _mirror = mirror;
        _refreshAge = refreshAge;
        ModPath = modPath;
        CodeRoot = codeRoot;
        CodeDir = codeDir;
        PathPrefix = pathPrefix;
        PathMajor = pathMajor;
        PseudoMajor = PathMajorPrefix(pathMajor);
    }

    public string ModPath { get; }

    public string CodeRoot { get; }

    /// <summary>The module's directory in the repository ("" at the root), before any /vN subdirectory.</summary>
    public string CodeDir { get; }

    public string PathPrefix { get; }

    public string PathMajor { get; }

    public string PseudoMajor { get; }

    public GitMirror Mirror => _mirror;

    /// <summary>cmd/go newCodeRepo: codeDir is the module path minus its major suffix, minus the repository root.</summary>
    public static ModuleRepo Create(GitMirror mirror, string codeRoot, string modPath, TimeSpan refreshAge)
    {
        if (!HasPathPrefix(modPath, codeRoot))
        {
            throw new DirectFailureException(DirectFailureKind.NotFound, $"mismatched repo: found {codeRoot} for {modPath}");
        }

        var (pathPrefix, pathMajor, ok) = ModulePathChecks.SplitPathVersion(modPath);
        if (!ok)
        {
            throw new DirectFailureException(DirectFailureKind.Invalid, $"invalid module path \"{modPath}\"");
        }

        if (codeRoot == modPath)
        {
            pathPrefix = modPath;
        }

        var codeDir = "";
        if (codeRoot != modPath)
        {
            if (!HasPathPrefix(pathPrefix, codeRoot))
            {
                throw new DirectFailureException(DirectFailureKind.NotFound, $"repository rooted at {codeRoot} cannot contain module {modPath}");
            }

            codeDir = pathPrefix[codeRoot.Length..].Trim('/');
        }

        return new ModuleRepo(mirror, refreshAge, modPath, codeRoot, codeDir, pathPrefix, pathMajor);
    }

    /// <param name="tagHint">A tag the caller is about to resolve: a first refresh fetches it alongside ls-remote.</param>
    private async Task<RefSnapshot> RefsAsync(bool fresh, CancellationToken ct, string? tagHint = null)
    {
        var speculative = tagHint is not null ? "refs/tags/" + tagHint : null;
        if (fresh && !_refreshed)
        {
            _refreshed = true;
            return _refs = await _mirror.RefreshAsync(_refreshAge, ct, speculative).ConfigureAwait(false);
        }

        if (_refs is not null)
        {
            return _refs;
        }

        if (_mirror.KnownRefs is { } known)
        {
            return _refs = known;
        }

        _refreshed = true;
        return _refs = await _mirror.RefreshAsync(_refreshAge, ct, speculative).ConfigureAwait(false);
    }

    /// <summary>The module's tagged versions: codeRepo.Versions("") (canonical, no pseudo-versions, +incompatible rules).</summary>
    public async Task<IReadOnlyList<string>> VersionsAsync(bool fresh, CancellationToken ct)
    {
        // gopkg.in/macaroon-bakery.v2-unstable style paths have no usable tags at all.
        if (ModPath.StartsWith("gopkg.in/", StringComparison.Ordinal) && ModPath.EndsWith("-unstable", StringComparison.Ordinal))
        {
            return [];
        }

        var refs = await RefsAsync(fresh, ct).ConfigureAwait(false);
        var p = CodeDir.Length > 0 ? CodeDir + "/" : "";
        var list = new List<string>();
        var incompatible = new List<string>();
        foreach (var tag in refs.TagsWithPrefix(p))
        {
            var v = tag[p.Length..];
            if (v.Length == 0 || v != Semver.Canonical(v) || PseudoVersion.IsPseudo(v))
            {
                continue;
            }

            if (ModulePathChecks.CheckPathMajor(v, PathMajor) is not null)
            {
                if (CodeDir.Length == 0 && PathMajor.Length == 0 && string.CompareOrdinal(Semver.Major(v), "v1") > 0)
                {
                    incompatible.Add(v);
                }

                continue;
            }

            list.Add(v);
        }

        list.Sort(Semver.ByVersion);
        incompatible.Sort(Semver.ByVersion);
        return await AppendIncompatibleAsync(list, incompatible, ct).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<string>> AppendIncompatibleAsync(List<string> list, List<string> incompatible, CancellationToken ct)
    {
        if (incompatible.Count == 0 || PathMajor.Length > 0)
        {
            return list;
        }

        // The latest compatible version has a go.mod: the author means consumers to stay on v0/v1 (golang.org/issue/34189).
        if (list.Count > 0 && await ReadFileAsync(list[^1], "go.mod", MaxGoMod, ct).ConfigureAwait(false) is not null)
        {
            return list;
        }

        string? lastMajor = null;
        var lastMajorHasGoMod = false;
        for (var i = 0; i < incompatible.Count; i++)
        {
            var v = incompatible[i];
            var major = Semver.Major(v);
            if (major != lastMajor)
            {
                var latestAtMajor = incompatible.Skip(i).TakeWhile(x => Semver.Major(x) == major).Last();
                lastMajor = major;
                lastMajorHasGoMod = await ReadFileAsync(latestAtMajor, "go.mod", MaxGoMod, ct).ConfigureAwait(false) is not null;
            }

            // A major whose newest release has a go.mod is dropped whole.
            if (!lastMajorHasGoMod)
            {
                list.Add(v + "+incompatible");
            }
        }

        return list;
    }

    /// <summary>
    /// The revision a name stands for, as cmd/go's gitRepo.stat resolves it: a hash (prefix) known to the
    /// mirror, then a tag, a branch, HEAD. Refreshes the mirror once when the name is unknown.
    /// </summary>
    public async Task<CodeRev> CodeStatAsync(string rev, CancellationToken ct)
    {
        var arrived = _mirror.Now;
        if (_stats.TryGetValue(rev, out var cached))
        {
            return cached;
        }

        // A name ending in a semantic version is most likely a tag (v1.2.3, sub/v1.2.3).
        var tagHint = Semver.IsValid(rev[(rev.LastIndexOf('/') + 1)..]) && !RefSnapshot.IsHex(rev) && IsPlainRefName(rev) ? rev : null;
        var refs = await RefsAsync(fresh: false, ct, tagHint).ConfigureAwait(false);
        if (!_refreshed && refs.Tag(rev) is null && !(rev.Length is >= 7 and <= 40 && RefSnapshot.IsHex(rev)))
        {
            // A branch or HEAD moves: like cmd/go, which runs ls-remote for every such query, ask the remote
            // for its current refs (at most once per refresh interval) instead of trusting the ones the
            // mirror recorded at its last list or @latest, maybe before a restart days ago.
            refs = await RefsAsync(fresh: true, ct).ConfigureAwait(false);
        }

        var found = await TryResolveAsync(rev, refs, ct).ConfigureAwait(false);
        if (found is null && !_askedForUnknown)
        {
            // A name the refs do not know may have been pushed a moment ago (a release tag CI asks for
            // right after pushing it; the go command, which asks git every time, finds it): the refresh
            // interval, meant for list and @latest, does not apply. The refs must come from an ls-remote
            // that started after this request arrived; requests waiting on the same one share it, so a
            // stream of made-up names costs at most one ls-remote at a time.
            _askedForUnknown = true;
            _refreshed = true;
            refs = _refs = await _mirror.RefreshAsync(TimeSpan.Zero, ct, askedAt: arrived).ConfigureAwait(false);
            found = await TryResolveAsync(rev, refs, ct).ConfigureAwait(false);
        }

        if (found is null)
        {
            throw new DirectFailureException(DirectFailureKind.NotFound, $"{ModPath}: unknown revision {rev}");
        }

        _stats[rev] = found;
        return found;
    }

    private async Task<CodeRev?> TryResolveAsync(string rev, RefSnapshot refs, CancellationToken ct)
    {
        CommitInfo? commit = null;
        var version = rev;
        if (rev.Length is >= 7 and <= 40 && RefSnapshot.IsHex(rev))
        {
            commit = await _mirror.StatAsync(rev, ct).ConfigureAwait(false);
            if (commit is null)
            {
                // A prefix of a ref's hash is fetched through that ref; anything else needs the full history.
                // A branch or tag name before HEAD: a named ref can be fetched on its own.
                var named = refs.Refs.Where(r => r.Value.StartsWith(rev, StringComparison.Ordinal))
                    .OrderBy(r => r.Key == "HEAD").ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
                if (named.Select(r => r.Value).Distinct(StringComparer.Ordinal).Count() > 1)
                {
                    throw new DirectFailureException(DirectFailureKind.NotFound, $"{ModPath}: ambiguous revision {rev}");
                }

                if (named.Count == 1)
                {
                    await _mirror.EnsureCommitAsync(named[0].Value, named[0].Key, ct).ConfigureAwait(false);
                }
                else
                {
                    await _mirror.EnsureCompleteAsync(ct).ConfigureAwait(false);
                }

                commit = await _mirror.StatAsync(named.Count == 1 ? named[0].Value : rev, ct).ConfigureAwait(false);
            }

            if (commit is not null)
            {
                version = commit.Hash;
            }
        }

        if (commit is null)
        {
            var refName = refs.Tag(rev) is not null ? "refs/tags/" + rev
                : refs.Branch(rev) is not null ? "refs/heads/" + rev
                : rev == "HEAD" && refs.Head is { } head ? refs.Refs.Where(r => r.Value == head && r.Key.StartsWith("refs/heads/", StringComparison.Ordinal)).Select(r => r.Key).Order(StringComparer.Ordinal).FirstOrDefault() ?? "HEAD"
                : null;
            if (refName is null)
            {
                return null;
            }

            var hash = refName == "HEAD" ? refs.Head! : refs.Refs[refName];
            if (!await _mirror.EnsureCommitAsync(hash, refName, ct).ConfigureAwait(false))
            {
                return null;
            }

            commit = await _mirror.StatAsync(hash, ct).ConfigureAwait(false);
            if (commit is null)
            {
                return null;
            }
        }

        var tags = refs.TagsAt(commit.Hash);
        // Use the caller's name only when it is a tag on this commit (filters out branch names and HEAD).
        if (!tags.Contains(version, StringComparer.Ordinal))
        {
            version = commit.Hash;
        }

        return new CodeRev(commit.Hash, commit.Time, tags, version);
    }

    /// <summary>codehost ReadFile: the file at the revision, or null when it does not exist.</summary>
    public async Task<byte[]?> ReadFileAsync(string rev, string file, long max, CancellationToken ct)
    {
        var info = await CodeStatAsync(rev, ct).ConfigureAwait(false);
        return await _mirror.ReadFileAsync(info.Hash, file, max, ct).ConfigureAwait(false);
    }

    /// <summary>Letters, digits and ._+-/ only, with no empty, dot-leading or ".." element: safe to name in a refspec.</summary>
    private static bool IsPlainRefName(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '-' or '/')
        && name.Split('/').All(e => e.Length > 0 && e[0] != '.' && e[0] != '-' && !e.Contains("..", StringComparison.Ordinal) && !e.EndsWith(".lock", StringComparison.Ordinal));

    public static bool HasPathPrefix(string s, string prefix) => Finding.GoImportParser.HasPathPrefix(s, prefix) || (prefix.Length == 0 && s.Length == 0);

    /// <summary>module.PathMajorPrefix: "/v2" → "v2", ".v2-unstable" → "v2", "" → "".</summary>
    private static string PathMajorPrefix(string pathMajor)
    {
        if (pathMajor.Length == 0)
        {
            return "";
        }

        var m = pathMajor[1..];
        if (m.EndsWith("-unstable", StringComparison.Ordinal))
        {
            m = m[..^"-unstable".Length];
        }

        return m;
    }

    private static bool MatchPathMajor(string v, string pathMajor) => ModulePathChecks.CheckPathMajor(v, pathMajor) is null;

    private static DirectFailureException Invalid(string modPath, string version, string message) =>
        new(DirectFailureKind.NotFound, $"{modPath}@{version}: invalid version: {message}");
}
