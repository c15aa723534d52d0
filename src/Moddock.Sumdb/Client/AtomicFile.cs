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

    /// <summary>
    /// The file's bytes; null when nothing is there. Anything there but a regular file (a link, which is never
    /// followed; a pipe, whose open would block for good) is an <see cref="IOException"/>: for a file whose absence
    /// means something (the saved tree head), reading it as missing would be wrong.
    /// </summary>
    public static Task<byte[]?> ReadAsync(string path, CancellationToken ct) => Read(path, irregularIsMissing: false, ct);

    /// <summary>
    /// <see cref="ReadAsync"/> for a cache file, which can always be fetched again: anything there but a regular
    /// file is not ours and reads as missing; the next write renames a real file over it.
    /// </summary>
    public static Task<byte[]?> ReadCachedAsync(string path, CancellationToken ct) => Read(path, irregularIsMissing: true, ct);

    private static Task<byte[]?> Read(string path, bool irregularIsMissing, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();

        // Most reads of a cold lookup miss: a thrown and caught FileNotFoundException costs far more than a stat.
        // The files are small (a lookup, a tile, a tree note): read synchronously, like the writes above.
        switch (FileKind.OfPath(path))
        {
            case null:
                return Task.FromResult<byte[]?>(null);
            case FileKindValue.Regular:
                break;
            case var _ when irregularIsMissing:
                return Task.FromResult<byte[]?>(null);
            case var other:
                throw new IOException($"{path} is a {other.Value.ToString().ToLowerInvariant()}, not a regular file: it is not read");
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
