namespace Moddock.Modules.Zip;

/// <summary>
/// Module zips as golang.org/x/mod/zip makes and checks them. Expected failures (bad names, too
/// large, invalid module path or version) are returned as <see cref="ModuleError"/> values whose
/// text matches the go command's; only misuse (null arguments) throws.
/// </summary>
public static class ModuleZip
{
    /// <summary>zip.Create: writes the zip of <paramref name="files"/> for module@version to <paramref name="output"/>.</summary>
    public static ModuleError? Create(Stream output, string modulePath, string version, IEnumerable<ZipSourceFile> files) =>
        Create(output, modulePath, version, files, out _);

    /// <summary>zip.Create, also giving the h1 of the written zip (computed while writing).</summary>
    public static ModuleError? Create(Stream output, string modulePath, string version, IEnumerable<ZipSourceFile> files, out string? h1)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(files);
        var error = CreateCore(output, modulePath, version, files.ToList(), out h1);
        return error is null ? null : error with { Message = "create zip: " + error.Message };
    }

    /// <summary>zip.CreateFromDir: the zip of a module source directory, skipping VCS directories too.</summary>
    public static ModuleError? CreateFromDirectory(Stream output, string modulePath, string version, string directory) =>
        CreateFromDirectory(output, modulePath, version, directory, out _);

    /// <summary>zip.CreateFromDir, also giving the h1 of the written zip (computed while writing).</summary>
    public static ModuleError? CreateFromDirectory(Stream output, string modulePath, string version, string directory, out string? h1)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(directory);
        h1 = null;

        // Checked before walking the tree (Go walks first): a bad path or version should not cost a walk.
        if (ModuleIdentityCheck.Check(modulePath, version) is { } idError)
        {
            return idError with { Message = $"create zip {directory}: {idError.Message}" };
        }

        DirectoryListing listing;
        try
        {
            listing = DirectoryListing.List(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ModuleError(ModuleErrorKind.Other, $"create zip from directory {directory}: {e.Message}");
        }

        var error = CreateCore(output, modulePath, version, listing.Files, out h1);
        return error is null ? null : error with { Message = $"create zip {directory}: {error.Message}" };
    }

    /// <summary>zip.CheckZip: whether an existing zip is a valid zip of module@version.</summary>
    public static ModuleError? CheckZip(string zipFile, string modulePath, string version) =>
        CheckZip(zipFile, modulePath, version, out _);

    /// <summary>zip.CheckZip with its report of valid and invalid entries (full entry names).</summary>
    public static ModuleError? CheckZip(string zipFile, string modulePath, string version, out ZipCheckReport report)
    {
        ArgumentNullException.ThrowIfNull(zipFile);
        (report, var error) = ZipInspection.Inspect(zipFile, modulePath, version);
        return error;
    }

    /// <summary>zip.CheckFiles: which of the files a zip would hold, leave out, or refuse.</summary>
    public static ZipCheckReport CheckFiles(IEnumerable<ZipSourceFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return FileSelection.Select(files.ToList()).Report;
    }

    /// <summary>zip.CheckDir: like CheckFiles over a directory; paths in the report are file system paths.</summary>
    public static ZipCheckReport CheckDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var listing = DirectoryListing.List(directory);
        var report = FileSelection.Select(listing.Files).Report;
        return new ZipCheckReport(
            report.Valid.Select(listing.FullPath).ToList(),
            report.Omitted.Concat(listing.Omitted).Select(i => i with { Path = listing.FullPath(i.Path) }).ToList(),
            report.Invalid.Select(i => i with { Path = listing.FullPath(i.Path) }).ToList(),
            report.SizeError);
    }

    /// <summary>zip.Unzip: checks the zip, then extracts it into an empty or missing directory, enforcing declared sizes.</summary>
    public static ModuleError? Unzip(string directory, string modulePath, string version, string zipFile)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(zipFile);
        var error = ZipExtraction.Extract(directory, modulePath, version, zipFile);
        return error is null ? null : error with { Message = $"unzip {zipFile}: {error.Message}" };
    }

    private static ModuleError? CreateCore(Stream output, string modulePath, string version, IReadOnlyList<ZipSourceFile> files, out string? h1)
    {
        h1 = null;
        if (ModuleIdentityCheck.Check(modulePath, version) is { } idError)
        {
            return idError;
        }

        try
        {
            // Selecting reads the root go.mod (for the vendor rule), so it can fail on I/O too.
            var selection = FileSelection.Select(files);
            if (selection.Report.Error is { } checkError)
            {
                return checkError;
            }

            (h1, var writeError) = ModuleZipWriter.Write(output, modulePath + "@" + version + "/", selection.ValidFiles);
            return writeError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ModuleError(ModuleErrorKind.Other, e.Message);
        }
        catch (AggregateException e) when (e.InnerException is IOException or UnauthorizedAccessException)
        {
            // Directory files are read by parallel workers; their I/O failures arrive wrapped.
            return new ModuleError(ModuleErrorKind.Other, e.InnerException.Message);
        }
    }
}
