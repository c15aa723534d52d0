namespace Moddock.Server.Health;

/// <summary>Proves the storage root takes writes the way the store makes them: create a temp file, rename it, delete it.</summary>
internal static class StorageProbe
{
    public static string? CheckWritable(string root) => CheckWritable(root, ".readyz-" + Guid.NewGuid().ToString("N"));

    /// <param name="probeName">The probe's file name in <paramref name="root"/> (a test picks it to make the rename fail).</param>
    internal static string? CheckWritable(string root, string probeName)
    {
        var probe = Path.Combine(root, probeName);
        try
        {
            Directory.CreateDirectory(root);
            File.WriteAllBytes(probe + ".tmp", [1]);
            File.Move(probe + ".tmp", probe);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
        finally
        {
            // A probe that failed halfway (disk full after the create, a rename refused) must not leave its files:
            // a load balancer polling /readyz every few seconds would fill the root with them.
            TryDelete(probe + ".tmp");
            TryDelete(probe);
        }
    }

    /// <summary>
    /// Bytes free to an unprivileged writer on the file system holding the root (statvfs f_bavail); null when the
    /// root cannot be inspected (missing, not a directory, not permitted).
    /// </summary>
    public static long? FreeBytes(string root)
    {
        try
        {
            return Directory.Exists(root) ? new DriveInfo(root).AvailableFreeSpace : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do: the root is already reported as not writable.
        }
    }
}
