namespace Moddock.Modules.Zip;

/// <summary>
/// Walks a module directory the way x/mod zip listFilesInDir does (filepath.Walk: lstat, names in
/// byte order, symlinks not followed), collecting candidate files and what was skipped on the way:
/// VCS directories, nested modules, vendored files and irregular files.
/// </summary>
internal sealed class DirectoryListing
{
    private static readonly string[] VcsDirectories = [".bzr", ".git", ".hg", ".svn"];

    private readonly string _root;
    private readonly bool _go124;
    private readonly List<ZipSourceFile> _files = [];
    private readonly List<ZipFileIssue> _omitted = [];

    private DirectoryListing(string root, bool go124)
    {
        _root = root;
        _go124 = go124;
    }

    public IReadOnlyList<ZipSourceFile> Files => _files;

    /// <summary>Skipped entries, with module-relative slash paths.</summary>
    public IReadOnlyList<ZipFileIssue> Omitted => _omitted;

    public static DirectoryListing List(string directory)
    {
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"lstat {directory}: no such file or directory");
        }

        // Like Go, the vendor rule follows the go line of the root go.mod as read from disk.
        string? goVersion = null;
        var goMod = Path.Combine(root, "go.mod");
        if (File.Exists(goMod))
        {
            using var stream = new FileStream(goMod, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            goVersion = RootGoVersion.FromStream(stream);
        }

        var listing = new DirectoryListing(root, VendorRule.IsGo124OrLater(goVersion));
        listing.Walk(new DirectoryInfo(root), "");
        return listing;
    }

    private void Walk(DirectoryInfo dir, string prefix)
    {
        var entries = dir.GetFileSystemInfos();
        Array.Sort(entries, (a, b) => Utf8Order.Instance.Compare(a.Name, b.Name));
        foreach (var entry in entries)
        {
            var slashPath = prefix + entry.Name;
            var kind = FileKind.Of(entry);

            // Applies to directories too, without pruning them (Go returns nil, not SkipDir), so
            // vendored directories are reported and then their files one by one.
            if (VendorRule.IsVendored(slashPath, _go124))
            {
                _omitted.Add(new ZipFileIssue(slashPath, ZipReasons.Vendored));
                if (kind == FileKindValue.Directory)
                {
                    Walk((DirectoryInfo)entry, slashPath + "/");
                }

                continue;
            }

            if (kind == FileKindValue.Directory)
            {
                if (Array.IndexOf(VcsDirectories, entry.Name) >= 0)
                {
                    _omitted.Add(new ZipFileIssue(slashPath, ZipReasons.Vcs));
                    continue;
                }

                if (IsNestedModule(entry.FullName))
                {
                    _omitted.Add(new ZipFileIssue(slashPath, ZipReasons.SubmoduleDir));
                    continue;
                }

                Walk((DirectoryInfo)entry, slashPath + "/");
                continue;
            }

            if (kind != FileKindValue.Regular)
            {
                // Symbolic links and other irregular files (golang.org/issue/27093).
                _omitted.Add(new ZipFileIssue(slashPath, ZipReasons.NotRegular));
                continue;
            }

            var fullName = entry.FullName;
            // Each Open makes its own FileStream, so the writer may open these on several threads at once.
            _files.Add(new ZipSourceFile(slashPath, ((FileInfo)entry).Length, () => OpenFile(fullName)) { OpensIndependently = true });
        }
    }

    /// <summary>A directory with an entry named exactly go.mod that is not a directory (os.Lstat).</summary>
    private static bool IsNestedModule(string directory)
    {
        var goMod = new FileInfo(Path.Combine(directory, "go.mod"));
        return goMod.Exists || goMod.LinkTarget is not null;
    }

    internal static FileStream OpenFile(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);

    public string FullPath(string slashPath) => Path.Combine(_root, slashPath.Replace('/', Path.DirectorySeparatorChar));
}
