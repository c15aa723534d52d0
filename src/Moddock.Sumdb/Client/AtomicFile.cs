namespace Moddock.Sumdb.Client;

/// <summary>Crash-safe whole-file writes: a temp file in the same directory, flushed to disk, then renamed over.</summary>
internal static class AtomicFile
{
    /// <param name="durable">Flush to disk before the rename (the persisted latest tree); caches, whose
    /// content is re-verified on every read, skip the fsync.</param>
    public static async Task WriteAsync(string path, byte[] data, CancellationToken ct, bool durable = true)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await fs.WriteAsync(data, ct).ConfigureAwait(false);
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
    }

    public static async Task<byte[]?> ReadAsync(string path, CancellationToken ct)
    {
        // Most reads of a cold lookup miss: a thrown and caught FileNotFoundException costs far more than a stat.
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
