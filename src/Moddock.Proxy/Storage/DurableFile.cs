using System.Runtime.InteropServices;

namespace Moddock.Proxy.Storage;

/// <summary>
/// The crash-safe write protocol: temp file in the target directory, fsync, rename, fsync of the directory.
/// After a crash a target is either absent or complete; leftovers carry <see cref="DiskLayout.TempPrefix"/>
/// and are never served (and are removed at start-up).
/// </summary>
internal static partial class DurableFile
{
    private const int ORdOnly = 0;

    /// <summary>
    /// Renames a complete, fsynced temp file into place. Returns false when an immutable target already existed;
    /// the temp file is then deleted unless <paramref name="keepTempWhenLost"/> (the caller compares and deletes it).
    /// </summary>
    public static bool Publish(string tempPath, string finalPath, bool replace, bool keepTempWhenLost = false)
    {
        if (replace)
        {
            File.Move(tempPath, finalPath, overwrite: true);
        }
        else if (File.Exists(finalPath))
        {
            if (!keepTempWhenLost)
            {
                File.Delete(tempPath);
            }

            return false;
        }
        else
        {
            try
            {
                File.Move(tempPath, finalPath, overwrite: false);
            }
            catch (IOException) when (File.Exists(finalPath))
            {
                // Another writer won the race.
                if (!keepTempWhenLost)
                {
                    File.Delete(tempPath);
                }

                return false;
            }
        }

        SyncDirectory(Path.GetDirectoryName(finalPath)!);
        return true;
    }

    /// <summary>fsync(2) a directory so a rename in it survives power loss; .NET cannot open directories as streams.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var fd = Open(directory, ORdOnly);
        if (fd < 0)
        {
            return;
        }

        try
        {
            _ = Fsync(fd);
        }
        finally
        {
            _ = Close(fd);
        }
    }

    public static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Close(int fd);
}
