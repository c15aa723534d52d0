using Moddock.Modules;

namespace Moddock.Proxy.Sources.Git.Versions;

/// <summary>
/// Stat and version choice: cmd/go codeRepo.Stat / convert / validatePseudoVersion (go1.19), step for step,
/// because the version chosen here is part of the hash a client checks.
/// </summary>
internal sealed partial class ModuleRepo
{
    /// <summary>.info for a query: a canonical version, a pseudo-version, a tag, a branch, a hash prefix or HEAD.</summary>
    public async Task<RevInfo> StatAsync(string rev, CancellationToken ct)
    {
        if (rev == "latest")
        {
            return await HeadAsync(ct).ConfigureAwait(false);
        }

        var info = await CodeStatAsync(RevToRev(rev), ct).ConfigureAwait(false);
        return await ConvertAsync(info, rev, ct).ConfigureAwait(false);
    }

    /// <summary>codeRepo.Latest: the default branch head, as a tag version or a pseudo-version.</summary>
    public async Task<RevInfo> HeadAsync(CancellationToken ct)
    {
        var refs = await RefsAsync(fresh: true, ct).ConfigureAwait(false);
        if (refs.Head is null)
        {
            throw new DirectFailureException(DirectFailureKind.NotFound, $"{ModPath}: no commits");
        }

        var info = await CodeStatAsync(refs.Head, ct).ConfigureAwait(false);
        return await ConvertAsync(info, "", ct).ConfigureAwait(false);
    }

    private async Task<RevInfo> ConvertAsync(CodeRev info, string statVers, CancellationToken ct)
    {
        var incompatibleOk = new Dictionary<string, bool>(StringComparer.Ordinal);

        // A plain tag on an unsuffixed root module whose tree has no go.mod may be used as +incompatible.
        async Task<bool> CanUseIncompatibleAsync(string v)
        {
            if (CodeDir.Length > 0 || PathMajor.Length > 0)
            {
                return false;
            }

            if (!incompatibleOk.TryGetValue("", out var ok))
            {
                ok = await _mirror.ReadFileAsync(info.Hash, "go.mod", MaxGoMod, ct).ConfigureAwait(false) is null;
                incompatibleOk[""] = ok;
            }

            if (!ok)
            {
                return false;
            }

            // go.dev/issue/51324: if vN/go.mod exists, release tags of that major belong to the vN module,
            // unless +incompatible was asked for explicitly.
            if (v.Length > 0 && !statVers.EndsWith("+incompatible", StringComparison.Ordinal))
            {
                var major = Semver.Major(v);
                if (!incompatibleOk.TryGetValue(major, out ok))
                {
                    ok = await _mirror.ReadFileAsync(info.Hash, major + "/go.mod", MaxGoMod, ct).ConfigureAwait(false) is null;
                    incompatibleOk[major] = ok;
                }

                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        async Task<RevInfo> CheckCanonicalAsync(string v)
        {
            // findDir enforces that a subdirectory module has a go.mod and that a go.mod's path fits.
            await FindDirAsync(v, ct).ConfigureAwait(false);

            if (v == TrimIncompatible(statVers))
            {
                v = statVers;
            }

            var baseV = TrimIncompatible(v);
            string? errIncompatible = null;
            if (!MatchPathMajor(baseV, PathMajor))
            {
                if (await CanUseIncompatibleAsync(baseV).ConfigureAwait(false))
                {
                    v = baseV + "+incompatible";
                }
                else
                {
                    errIncompatible = PathMajor.Length > 0
                        ? "module path includes a major version suffix, so major version must match"
                        : $"module contains a go.mod file, so module path must match major version (\"{PathPrefix}/{Semver.Major(v)}\")";
                }
            }
            else if (v.EndsWith("+incompatible", StringComparison.Ordinal))
            {
                errIncompatible = $"+incompatible suffix not allowed: major version {Semver.Major(v)} is compatible";
            }

            if (statVers.Length > 0 && statVers == CanonicalVersion(statVers) && TrimIncompatible(statVers) != baseV)
            {
                throw Invalid(ModPath, statVers, $"resolves to version {v} ({TrimIncompatible(statVers)} is not a tag)");
            }

            if (errIncompatible is not null)
            {
                throw Invalid(ModPath, v, errIncompatible);
            }

            return new RevInfo(v, info.Time, info.Hash);
        }

        if (PseudoVersion.IsPseudo(statVers))
        {
            await ValidatePseudoVersionAsync(info, statVers, ct).ConfigureAwait(false);
            return await CheckCanonicalAsync(statVers).ConfigureAwait(false);
        }

        var tagPrefix = CodeDir.Length > 0 ? CodeDir + "/" : "";

        // cmd/go reads the retractions before anything else; they matter only once the revision's own
        // tag did not do, so they are read only then (for a tag, that saves fetching the highest release).
        async Task<bool> IsRetractedVersionAsync(string v) => (await RetractedAsync(ct).ConfigureAwait(false))(v);

        (string V, bool Canonical) TagToVersion(string tag)
        {
            if (!tag.StartsWith(tagPrefix, StringComparison.Ordinal))
            {
                return ("", false);
            }

            var trimmed = tag[tagPrefix.Length..];
            if (PseudoVersion.IsPseudo(tag))
            {
                return ("", false);
            }

            // semver.Canonical, not module.CanonicalVersion: a tag's own "+incompatible" is not honoured.
            var v = Semver.Canonical(trimmed);
            if (v.Length == 0 || !trimmed.StartsWith(v, StringComparison.Ordinal))
            {
                return ("", false);
            }

            return (v, v == trimmed);
        }

        var (tv, tvCanonical) = TagToVersion(info.Version);
        if (tvCanonical)
        {
            try
            {
                return await CheckCanonicalAsync(tv).ConfigureAwait(false);
            }
            catch (DirectFailureException e) when (e.Kind is DirectFailureKind.NotFound or DirectFailureKind.Invalid)
            {
                // Fall through to the tags on the revision, like cmd/go.
            }
        }

        var highestCanonical = "";
        var pseudoBase = "";
        foreach (var pathTag in info.Tags)
        {
            var (v, canonical) = TagToVersion(pathTag);
            if (statVers.Length > 0 && Semver.Compare(v, statVers) == 0)
            {
                if (canonical)
                {
                    return await CheckCanonicalAsync(v).ConfigureAwait(false);
                }

                pseudoBase = v;
            }

            if (canonical && Semver.Compare(highestCanonical, v) < 0 && !await IsRetractedVersionAsync(v).ConfigureAwait(false)
                && (MatchPathMajor(v, PathMajor) || await CanUseIncompatibleAsync(v).ConfigureAwait(false)))
            {
                highestCanonical = v;
            }
        }

        if (highestCanonical.Length > 0)
        {
            return await CheckCanonicalAsync(highestCanonical).ConfigureAwait(false);
        }

        if (pseudoBase.Length == 0)
        {
            // RecentTag: the highest allowed tag merged into the revision.
            var best = "";
            foreach (var tag in await _mirror.TagsMergedIntoAsync(info.Hash, ct).ConfigureAwait(false))
            {
                if (!tag.StartsWith(tagPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var (v, _) = TagToVersion(tag);
                if (v.Length == 0 || await IsRetractedVersionAsync(v).ConfigureAwait(false) || !(MatchPathMajor(v, PathMajor) || await CanUseIncompatibleAsync(v).ConfigureAwait(false)))
                {
                    continue;
                }

                var sem = tag[tagPrefix.Length..];
                if (Semver.Compare(sem, best) > 0)
                {
                    best = sem;
                }
            }

            if (best.Length > 0)
            {
                pseudoBase = TagToVersion(tagPrefix + best).V;
            }
        }

        return await CheckCanonicalAsync(PseudoVersion.Build(PseudoMajor, pseudoBase, info.Time, info.Short)).ConfigureAwait(false);
    }

    private async Task ValidatePseudoVersionAsync(CodeRev info, string version, CancellationToken ct)
    {
        if (!PseudoVersion.TryGetRev(version, out var rev, out var e1))
        {
            throw Invalid(ModPath, version, e1!.Message);
        }

        if (rev != info.Short)
        {
            throw Invalid(ModPath, version,
                rev.StartsWith(info.Short, StringComparison.Ordinal) ? $"revision is longer than canonical (expected {info.Short})"
                : info.Short.StartsWith(rev, StringComparison.Ordinal) ? $"revision is shorter than canonical (expected {info.Short})"
                : $"does not match short name of revision (expected {info.Short})");
        }

        if (!PseudoVersion.TryGetTime(version, out var t, out var e2))
        {
            throw Invalid(ModPath, version, e2!.Message);
        }

        if (t != info.Time)
        {
            throw Invalid(ModPath, version, $"does not match version-control timestamp (expected {info.Time.UtcDateTime:yyyyMMddHHmmss})");
        }

        var tagPrefix = CodeDir.Length > 0 ? CodeDir + "/" : "";
        if (!PseudoVersion.TryGetBase(TrimIncompatible(version), out var baseV, out var e3))
        {
            throw Invalid(ModPath, version, e3!.Message);
        }

        if (baseV.Length == 0)
        {
            if (PseudoMajor.Length == 0 && Semver.Major(version) == "v1")
            {
                throw Invalid(ModPath, version, "major version without preceding tag must be v0, not v1");
            }

            return;
        }

        foreach (var tag in info.Tags)
        {
            // cmd/go compares strings.TrimPrefix(tag, tagPrefix): a tag outside the module's prefix (a plain
            // root tag for a subdirectory module) that equals the base counts too. Matched exactly, so that
            // Moddock never serves a pseudo-version the go command (and so proxy.golang.org) refuses.
            var versionOnly = tag.StartsWith(tagPrefix, StringComparison.Ordinal) ? tag[tagPrefix.Length..] : tag;
            if (versionOnly == baseV)
            {
                throw Invalid(ModPath, version, $"tag ({tag}) found on revision {rev} is already canonical, so should not be replaced with a pseudo-version derived from that tag");
            }
        }

        var refs = await RefsAsync(fresh: false, ct).ConfigureAwait(false);
        string? lastTag = null;
        var ancestorFound = false;
        foreach (var tag in refs.TagsWithPrefix(tagPrefix + baseV))
        {
            if (Semver.Compare(tag[tagPrefix.Length..], baseV) == 0)
            {
                lastTag = tag;
                if (await _mirror.IsAncestorAsync(tag, info.Hash, ct).ConfigureAwait(false))
                {
                    ancestorFound = true;
                    break;
                }
            }
        }

        if (lastTag is null)
        {
            throw Invalid(ModPath, version, $"preceding tag ({baseV}) not found");
        }

        if (!ancestorFound)
        {
            throw Invalid(ModPath, version, $"revision {rev} is not a descendent of preceding tag ({lastTag})");
        }
    }

    /// <summary>codeRepo.retractedVersions: the retract directives of the highest release's go.mod (else the highest version's).</summary>
    private async Task<Func<string, bool>> RetractedAsync(CancellationToken ct)
    {
        if (_isRetracted is not null)
        {
            return _isRetracted;
        }

        Func<string, bool> none = _ => false;
        try
        {
            var versions = (await VersionsAsync(fresh: false, ct).ConfigureAwait(false))
                .TakeWhile(v => !v.EndsWith("+incompatible", StringComparison.Ordinal)).ToList();
            if (versions.Count == 0)
            {
                return _isRetracted = none;
            }

            var highest = versions.LastOrDefault(v => Semver.Prerelease(v).Length == 0) ?? versions[^1];
            var data = await GoModAsync(highest, ct).ConfigureAwait(false);
            var retractions = GoModReader.Retractions(data);
            return _isRetracted = v => retractions.Any(r => Semver.Compare(r.Low, v) <= 0 && Semver.Compare(v, r.High) <= 0);
        }
        catch (DirectFailureException)
        {
            // cmd/go treats an unreadable retraction list as "nothing retracted".
            return _isRetracted = none;
        }
    }

    public async Task<Func<string, bool>> IsRetractedAsync(CancellationToken ct) => await RetractedAsync(ct).ConfigureAwait(false);

    private string RevToRev(string rev)
    {
        if (!Semver.IsValid(rev))
        {
            return rev;
        }

        if (PseudoVersion.IsPseudo(rev))
        {
            return PseudoVersion.TryGetRev(rev, out var r, out _) ? r : rev;
        }

        rev = TrimIncompatibleBuild(rev);
        return CodeDir.Length == 0 ? rev : CodeDir + "/" + rev;
    }

    private static string TrimIncompatibleBuild(string rev) =>
        Semver.Build(rev) == "+incompatible" ? rev[..^"+incompatible".Length] : rev;

    private static string TrimIncompatible(string v) =>
        v.EndsWith("+incompatible", StringComparison.Ordinal) ? v[..^"+incompatible".Length] : v;

    /// <summary>module.CanonicalVersion: semver.Canonical, keeping a "+incompatible" build suffix.</summary>
    private static string CanonicalVersion(string v)
    {
        var cv = Semver.Canonical(v);
        return Semver.Build(v) == "+incompatible" ? cv + "+incompatible" : cv;
    }
}
