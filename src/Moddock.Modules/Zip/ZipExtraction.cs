namespace Moddock.Modules.Zip;

/// <summary>
/// Extracts a checked module zip (x/mod zip.Unzip): the target must be empty, files are created
/// new and read-only, and no file may hold more bytes than its header declares.
/// </summary>
internal static class ZipExtraction
{
    public static ModuleError? Extract(string directory, string modulePath, string version, string zipFile)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            return new ModuleError(ModuleErrorKind.Other, $"target directory {directory} exists and is not empty");
        }

        ModuleError? extractError = null;
        var (_, error) = ZipInspection.Inspect(zipFile, modulePath, version, (archive, prefix) =>
        {
            var root = Path.GetFullPath(directory);
            Directory.CreateDirectory(root);
            var buffer = new byte[DirHash.BufferSize];
            foreach (var entry in archive.Entries)
            {
                var name = entry.FullName[prefix.Length..];
                if (name.Length == 0 || name.EndsWith('/'))
                {
                    continue;
                }

                // The inspection already refused unclean and absolute names; this keeps every write inside root regardless.
                var target = Path.GetFullPath(Path.Combine(root, name));
                if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    extractError = new ModuleError(ModuleErrorKind.InvalidFilePath, $"{entry.FullName}: file path escapes the target directory");
                    return;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write))
                using (var input = entry.Open())
                {
                    var remaining = entry.Length;
                    int n;
                    while ((n = input.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining + 1))) > 0)
                    {
                        if (n > remaining)
                        {
                            extractError = new ModuleError(ModuleErrorKind.ZipInvalid, $"uncompressed size of file {entry.FullName} is larger than declared size ({entry.Length} bytes)");
                            return;
                        }

                        output.Write(buffer, 0, n);
                        remaining -= n;
                    }
                }

                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                }
            }
        });
        return error ?? extractError;
    }
}
