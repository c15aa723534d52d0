using Moddock.Modules.Zip;

namespace Moddock.Sumdb.Client;

/// <summary>Crash-safe whole-file writes: a temp file in the same directory, flushed to disk, then renamed over.</summary>
internal static class AtomicFile
{
    public const string TempMarker = ".tmp-";

    /// <param name="durable">Flush to disk before the rename (the persisted latest tree); caches, whose
    /// content is re-verified on every read, skip the fsync.</param>
    /// <remarks>
    /// Synchronous inside: the files are a few hundred bytes (a lookup, a tree note) or 8 KiB (a tile), and an
    /// asynchronous FileStream on Linux is the same system calls run as three thread-pool work items (write, flush,
    /// dispose), which cost more than the writes. Only the latest tree, written when the tree advances, is fsynced.
    /// </remarks>
    public static Task WriteAsync(string path, byte[] data, CancellationToken ct, bool durable = true)
    {
        ct.ThrowIfCancellationRequested();
        var tmp = TempName(path);
        try
        {
            FileStream fs;
            try
            {
                fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
            }
            catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
            {
                // The directory usually exists (one per module path prefix): create it only when the open says so.
                // A create that fails for a missing directory throws DirectoryNotFoundException only if the
                // directory is still missing when .NET looks again after the failed open(2): when another lookup
                // into the same new directory creates it in between, the same failure comes as
                // FileNotFoundException (seen in the sumdb bench: one lookup of ~1,200 was never cached).
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
            }

            using (fs)
            {
                fs.Write(data);
                fs.Flush(flushToDisk: durable);
            }

            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp))
            {
                File.Delete(tmp);
            }
        }

        return Task.CompletedTask;
    }

    public static Task<byte[]?> ReadAsync(string path, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();

        // Most reads of a cold lookup miss: a thrown and caught FileNotFoundException costs far more than a stat.
        // The files are small (a lookup, a tile, a tree note): read synchronously, like the writes above.
        // Only a regular file is read: a link is never followed, and a pipe would block the open for good; either
        // is not ours, reads as missing, and the next write renames a real file over it.
        if (FileKind.OfPath(path) != FileKindValue.Regular)
        {
            return Task.FromResult<byte[]?>(null);
        }

        try
        {
            return Task.FromResult<byte[]?>(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<byte[]?>(null);
        }
    }

    /// <summary>Whether a file name is one of <see cref="TempName"/>'s: the marker and eight hex digits at the end.</summary>
    public static bool IsTempName(string path)
    {
        var name = Path.GetFileName(path.AsSpan());
        var at = name.LastIndexOf(TempMarker, StringComparison.Ordinal);
        return at > 0 && name.Length - at - TempMarker.Length == 8 && !name[(at + TempMarker.Length)..].ContainsAnyExcept("0123456789abcdef");
    }

    private static string TempName(string path) => path + TempMarker + Guid.NewGuid().ToString("N")[..8];
}
