namespace Moddock.Modules.Zip;

/// <summary>
/// Decides, for a list of files, which go into a module zip, which are left out and which make it
/// invalid (x/mod zip checkFiles). Every file lands in exactly one list; the checks run in Go's order
/// because the first failing check names the reason.
/// </summary>
internal sealed class FileSelection
{
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly List<string> _valid = [];
    private readonly List<ZipFileIssue> _omitted = [];
    private readonly List<ZipFileIssue> _invalid = [];
    private readonly List<ZipSourceFile> _validFiles = [];
    private ModuleError? _sizeError;

    private FileSelection()
    {
    }

    public ZipCheckReport Report => new(_valid, _omitted, _invalid, _sizeError);

    /// <summary>The valid files in input order, with the sizes they declared.</summary>
    public IReadOnlyList<ZipSourceFile> ValidFiles => _validFiles;

    public static FileSelection Select(IReadOnlyList<ZipSourceFile> files)
    {
        var s = new FileSelection();
        s.Run(files);
        return s;
    }

    private void Run(IReadOnlyList<ZipSourceFile> files)
    {
        // Directories holding a go.mod (any case) other than the root are other modules.
        var haveGoMod = new HashSet<string>(StringComparer.Ordinal);
        string? goVersion = null;
        foreach (var f in files)
        {
            var (dir, name) = GoPath.Split(f.Path);
            if (!name.Equals("go.mod", StringComparison.OrdinalIgnoreCase) || !f.IsRegular || f.IsSymlink)
            {
                continue;
            }

            haveGoMod.Add(dir);
            if (name == "go.mod" && dir.Length == 0)
            {
                using var stream = f.Open();
                goVersion = RootGoVersion.FromStream(stream);
            }
        }

        var go124 = VendorRule.IsGo124OrLater(goVersion);
        var collisions = new CollisionChecker();
        var remaining = ZipLimits.MaxZipFile;
        foreach (var f in files)
        {
            var p = f.Path;
            if (p != GoPath.Clean(p))
            {
                Add(p, omitted: false, ZipReasons.PathNotClean);
                continue;
            }

            if (GoPath.IsAbs(p))
            {
                Add(p, omitted: false, ZipReasons.PathNotRelative);
                continue;
            }

            if (VendorRule.IsVendored(p, go124))
            {
                Add(p, omitted: true, ZipReasons.Vendored);
                continue;
            }

            if (InSubmodule(p, haveGoMod))
            {
                Add(p, omitted: true, ZipReasons.SubmoduleFile);
                continue;
            }

            if (p == ".hg_archival.txt")
            {
                // Inserted by hg archive; the go command drops it whatever the VCS.
                Add(p, omitted: true, ZipReasons.HgArchivalTxt);
                continue;
            }

            if (ModulePathChecks.CheckFilePath(p) is { } pathError)
            {
                Add(p, omitted: false, pathError.Message);
                continue;
            }

            if (p.Equals("go.mod", StringComparison.OrdinalIgnoreCase) && p != "go.mod")
            {
                Add(p, omitted: false, ZipReasons.GoModCase);
                continue;
            }

            if (collisions.Check(p, isDir: false) is { } collision)
            {
                Add(p, omitted: false, collision);
                continue;
            }

            if (f.IsSymlink)
            {
                Add(p, omitted: true, ZipReasons.Symlink);
                continue;
            }

            if (!f.IsRegular)
            {
                Add(p, omitted: true, ZipReasons.NotRegular);
                continue;
            }

            var size = f.Size;
            if (size >= 0 && size <= remaining)
            {
                remaining -= size;
            }
            else
            {
                _sizeError ??= new ModuleError(ModuleErrorKind.ZipTooLarge, ZipReasons.TreeTooLarge);
            }

            if (p == "go.mod" && size > ZipLimits.MaxGoMod)
            {
                Add(p, omitted: false, ZipReasons.GoModSize);
                continue;
            }

            if (p == "LICENSE" && size > ZipLimits.MaxLicense)
            {
                Add(p, omitted: false, ZipReasons.LicenseSize);
                continue;
            }

            _valid.Add(p);
            _validFiles.Add(f);
        }
    }

    private static bool InSubmodule(string p, HashSet<string> haveGoMod)
    {
        while (true)
        {
            var (dir, _) = GoPath.Split(p);
            if (dir.Length == 0)
            {
                return false;
            }

            if (haveGoMod.Contains(dir))
            {
                return true;
            }

            p = dir[..^1];
        }
    }

    private void Add(string path, bool omitted, string reason)
    {
        if (!_reported.Add(path))
        {
            return;
        }

        (omitted ? _omitted : _invalid).Add(new ZipFileIssue(path, reason));
    }
}
