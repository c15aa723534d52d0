using Moddock.Modules;

namespace Moddock.Proxy.Sources.Git.Versions;

/// <summary>Where the module lives at a version, and its go.mod: cmd/go codeRepo.findDir and GoMod (go1.19).</summary>
internal sealed partial class ModuleRepo
{
    /// <summary>The revision, the module's directory in it, and its go.mod (null when it has none).</summary>
    public async Task<(string Rev, string Dir, byte[]? GoMod)> FindDirAsync(string version, CancellationToken ct)
    {
        if (!Semver.IsValid(version))
        {
            throw Invalid(ModPath, version, "syntax error");
        }

        var rev = RevToRev(version);
        var file1 = Join(CodeDir, "go.mod");
        var gomod1 = await ReadFileAsync(rev, file1, MaxGoMod, ct).ConfigureAwait(false);
        var mpath1 = gomod1 is null ? "" : GoModReader.ModulePath(gomod1);
        var found1 = gomod1 is not null && (IsMajor(mpath1, PathMajor) || CanReplaceMismatchedVersionDueToBug(mpath1));

        var file2 = "";
        if (PathMajor.Length > 0 && CodeRoot != ModPath && !PathMajor.StartsWith('.'))
        {
            // Either go.mod claims vN and vN/go.mod does not exist, or vN/go.mod exists and claims vN. Not both.
            var dir2 = Join(CodeDir, PathMajor[1..]);
            file2 = Join(dir2, "go.mod");
            var gomod2 = await ReadFileAsync(rev, file2, MaxGoMod, ct).ConfigureAwait(false);
            var mpath2 = gomod2 is null ? "" : GoModReader.ModulePath(gomod2);
            var found2 = gomod2 is not null && IsMajor(mpath2, PathMajor);
            if (found1 && found2)
            {
                throw NotModule($"{PathPrefix}/{file1} and ...{PathMajor}/go.mod both have ...{PathMajor} module paths at revision {rev}");
            }

            if (found2)
            {
                return (rev, dir2, gomod2);
            }

            if (gomod2 is not null)
            {
                throw NotModule(mpath2.Length == 0
                    ? $"{CodeRoot}/{file2} is missing module path at revision {rev}"
                    : $"{CodeRoot}/{file2} has non-...{PathMajor} module path \"{mpath2}\" at revision {rev}");
            }
        }

        if (found1)
        {
            return (rev, CodeDir, gomod1);
        }

        if (gomod1 is not null)
        {
            var suffix = file2.Length > 0 ? $" (and ...{PathMajor}/go.mod does not exist)" : "";
            if (mpath1.Length == 0)
            {
                throw NotModule($"{file1} is missing module path{suffix} at revision {rev}");
            }

            if (PathMajor.Length > 0)
            {
                throw NotModule($"{file1} has non-...{PathMajor} module path \"{mpath1}\"{suffix} at revision {rev}");
            }

            if (!ModulePathChecks.SplitPathVersion(mpath1).Ok)
            {
                throw NotModule($"{file1} has malformed module path \"{mpath1}\"{suffix} at revision {rev}");
            }

            throw NotModule($"{file1} has post-{Semver.Major(version)} module path \"{mpath1}\"{suffix} at revision {rev}");
        }

        if (CodeDir.Length == 0 && (PathMajor.Length == 0 || PathMajor.StartsWith('.')))
        {
            // An implicit go.mod at the repository root is fine for v0/v1 and gopkg.in.
            return (rev, "", null);
        }

        throw NotModule(file2.Length > 0
            ? $"missing {PathPrefix}/go.mod and ...{PathMajor}/go.mod at revision {rev}"
            : $"missing {PathPrefix}/go.mod at revision {rev}");

        DirectFailureException NotModule(string message) => Invalid(ModPath, version, message);
    }

    /// <summary>codeRepo.GoMod: the go.mod bytes, or the synthesized "module M\n" for a tree without one.</summary>
    public async Task<byte[]> GoModAsync(string version, CancellationToken ct)
    {
        if (version != CanonicalVersion(version))
        {
            throw Invalid(ModPath, version, "version is not canonical");
        }

        if (PseudoVersion.IsPseudo(version))
        {
            // findDir reads only the hash from a pseudo-version: check the rest before serving anything.
            await StatAsync(version, ct).ConfigureAwait(false);
        }

        var (rev, dir, gomod) = await FindDirAsync(version, ct).ConfigureAwait(false);
        if (gomod is not null)
        {
            return gomod;
        }

        return await ReadFileAsync(rev, Join(dir, "go.mod"), MaxGoMod, ct).ConfigureAwait(false) ?? LegacyGoMod(ModPath);
    }

    /// <summary>modfetch.LegacyGoMod. A valid module path never needs modfile.AutoQuote's quotes.</summary>
    public static byte[] LegacyGoMod(string modPath) => System.Text.Encoding.UTF8.GetBytes($"module {modPath}\n");

    /// <summary>Whether a go.mod's module path is compatible with the major version(s) pathMajor implies.</summary>
    private static bool IsMajor(string mpath, string pathMajor)
    {
        if (mpath.Length == 0)
        {
            return false;
        }

        var (_, mpathMajor, ok) = ModulePathChecks.SplitPathVersion(mpath);
        if (!ok)
        {
            return false;
        }

        if (pathMajor.Length == 0)
        {
            return PathMajorPrefix(mpathMajor) is "" or "v0" or "v1";
        }

        if (mpathMajor.Length == 0)
        {
            return false;
        }

        return pathMajor[1..] == mpathMajor[1..];
    }

    // golang.org/issue/34254: unversioned paths were once accepted as replacements for gopkg.in paths.
    private bool CanReplaceMismatchedVersionDueToBug(string mpath) =>
        PathMajor.Length == 0 && mpath.StartsWith("gopkg.in/", StringComparison.Ordinal);

    private static string Join(string dir, string file) => dir.Length == 0 ? file : dir + "/" + file;
}
