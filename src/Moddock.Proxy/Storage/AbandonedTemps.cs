namespace Moddock.Proxy.Storage;

/// <summary>
/// Finds and deletes the temp files a crashed process left in the storage (see <see cref="DiskModuleStore.Open"/>):
/// those nothing has written to since <c>writtenBefore</c>, so that another live process's downloads survive.
/// </summary>
internal static class AbandonedTemps
{
    /// <summary>
    /// Deletes temp files left in the artifact trees only. Other stores share the root (git mirrors under
    /// vcs/, the checksum-database cache under sumdb/) and can be large; they are never walked. An artifact
    /// tree starts with a module path's first element, which always contains a dot (module.CheckPath), and
    /// those other directories' names never do.
    /// </summary>
    public static void Remove(string root, DateTime writtenBefore)
    {
        foreach (var temp in Directory.EnumerateFiles(root, DiskLayout.TempPrefix + "*"))
        {
            DeleteIfAbandoned(temp, writtenBefore);
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            var name = Path.GetFileName(dir);
            if (!name.Contains('.', StringComparison.Ordinal) || name.StartsWith('.') || new FileInfo(dir).Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                continue;
            }

            foreach (var temp in Directory.EnumerateFiles(dir, DiskLayout.TempPrefix + "*", options))
            {
                DeleteIfAbandoned(temp, writtenBefore);
            }
        }
    }

    private static void DeleteIfAbandoned(string temp, DateTime writtenBefore)
    {
        // A missing file reads as 1601-01-01 (deleting it again is a no-op); a live writer keeps the time recent.
        if (File.GetLastWriteTimeUtc(temp) < writtenBefore)
        {
            DurableFile.DeleteQuietly(temp);
        }
    }
}
