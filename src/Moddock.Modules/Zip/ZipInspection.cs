using System.IO.Compression;
using System.Text;

namespace Moddock.Modules.Zip;

/// <summary>
/// Checks an existing module zip without extracting it (x/mod zip checkZip): every entry under
/// "M@V/", clean and valid names, no collisions, go.mod only at the root, sizes within the limits.
/// </summary>
internal static class ZipInspection
{
    public static (ZipCheckReport Report, ModuleError? Error) Inspect(string zipFile, string modulePath, string version, Action<ZipArchive, string>? onValid = null)
    {
        var empty = new ZipCheckReport([], [], [], null);
        if (ModuleIdentityCheck.Check(modulePath, version) is { } idError)
        {
            return (empty, idError);
        }

        FileStream stream;
        try
        {
            stream = new FileStream(zipFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (empty, new ModuleError(ModuleErrorKind.Other, $"open {zipFile}: {e.Message}"));
        }

        using (stream)
        {
            if (stream.Length > ZipLimits.MaxZipFile)
            {
                var sizeError = new ModuleError(ModuleErrorKind.ZipTooLarge, ZipReasons.ZipFileTooLarge(stream.Length));
                return (new ZipCheckReport([], [], [], sizeError), sizeError);
            }

            ZipArchive archive;
            try
            {
                archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true, Encoding.UTF8);
            }
            catch (InvalidDataException e)
            {
                return (empty, new ModuleError(ModuleErrorKind.ZipInvalid, $"{zipFile}: zip: not a valid zip file ({e.Message})"));
            }

            using (archive)
            {
                var report = Check(archive, modulePath + "@" + version + "/");
                if (report.Error is null && onValid is not null)
                {
                    onValid(archive, modulePath + "@" + version + "/");
                }

                return (report, report.Error);
            }
        }
    }

    private static ZipCheckReport Check(ZipArchive archive, string prefix)
    {
        var valid = new List<string>();
        var invalid = new List<ZipFileIssue>();
        ModuleError? sizeError = null;
        var collisions = new CollisionChecker();
        long size = 0;
        foreach (var entry in archive.Entries)
        {
            var full = entry.FullName;
            if (!full.StartsWith(prefix, StringComparison.Ordinal))
            {
                invalid.Add(new ZipFileIssue(full, ZipReasons.NoPrefix(prefix)));
                continue;
            }

            var name = full[prefix.Length..];
            if (name.Length == 0)
            {
                continue;
            }

            var isDir = name.EndsWith('/');
            if (isDir)
            {
                name = name[..^1];
            }

            if (GoPath.Clean(name) != name)
            {
                invalid.Add(new ZipFileIssue(full, ZipReasons.PathNotClean));
                continue;
            }

            if (ModulePathChecks.CheckFilePath(name) is { } pathError)
            {
                invalid.Add(new ZipFileIssue(full, pathError.Message));
                continue;
            }

            if (collisions.Check(name, isDir) is { } collision)
            {
                invalid.Add(new ZipFileIssue(full, collision));
                continue;
            }

            if (isDir)
            {
                continue;
            }

            var baseName = GoPath.Base(name);
            if (baseName.Equals("go.mod", StringComparison.OrdinalIgnoreCase))
            {
                if (baseName != name)
                {
                    invalid.Add(new ZipFileIssue(full, ZipReasons.GoModNotInRoot));
                    continue;
                }

                if (name != "go.mod")
                {
                    invalid.Add(new ZipFileIssue(full, ZipReasons.GoModCase));
                    continue;
                }
            }

            var sz = entry.Length;
            if (sz >= 0 && ZipLimits.MaxZipFile - size >= sz)
            {
                size += sz;
            }
            else
            {
                sizeError ??= new ModuleError(ModuleErrorKind.ZipTooLarge, ZipReasons.ContentsTooLarge);
            }

            if (name == "go.mod" && sz > ZipLimits.MaxGoMod)
            {
                invalid.Add(new ZipFileIssue(full, ZipReasons.GoModSize));
                continue;
            }

            if (name == "LICENSE" && sz > ZipLimits.MaxLicense)
            {
                invalid.Add(new ZipFileIssue(full, ZipReasons.LicenseSize));
                continue;
            }

            valid.Add(full);
        }

        return new ZipCheckReport(valid, [], invalid, sizeError);
    }
}
