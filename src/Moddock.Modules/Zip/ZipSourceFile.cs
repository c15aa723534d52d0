namespace Moddock.Modules.Zip;

/// <summary>
/// One file offered for a module zip (zip.File in x/mod): a slash-separated path relative to the
/// module root, the size it declares, and a way to read it. <see cref="IsRegular"/> false marks an
/// irregular file (device, pipe, socket); <see cref="IsSymlink"/> marks a symbolic link.
/// </summary>
/// <remarks>
/// Contract for <see cref="Open"/>: Moddock calls it from one thread at a time, never concurrently
/// with another file's <see cref="Open"/> or with reading another file's stream, and each stream is
/// read (up to one byte past <see cref="Size"/>) and disposed before the next file is opened. Files
/// are opened in list order, except that the root go.mod is opened once more beforehand to read its
/// go line. So delegates may share a source that is not thread-safe, such as the entries of one
/// <see cref="System.IO.Compression.ZipArchive"/>.
/// </remarks>
public sealed record ZipSourceFile(string Path, long Size, Func<Stream> Open, bool IsRegular = true)
{
    /// <summary>A symbolic link; omitted like Go does (golang.org/issue/27093).</summary>
    public bool IsSymlink { get; init; }

    /// <summary>
    /// Set only by Moddock itself for files whose <see cref="Open"/> makes an independent handle
    /// (a new FileStream on a directory file), so the writer may open several at once on worker
    /// threads. Never set for caller-supplied files: their delegates get the serial contract above.
    /// </summary>
    internal bool OpensIndependently { get; init; }

    /// <summary>A file held in memory, for callers that build zips from generated content.</summary>
    public static ZipSourceFile FromBytes(string path, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new ZipSourceFile(path, data.LongLength, () => new MemoryStream(data, writable: false));
    }
}
