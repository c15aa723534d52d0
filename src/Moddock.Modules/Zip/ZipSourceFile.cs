namespace Moddock.Modules.Zip;

/// <summary>
/// One file offered for a module zip (zip.File in x/mod): a slash-separated path relative to the
/// module root, the size it declares, and a way to read it. <see cref="IsRegular"/> false marks an
/// irregular file (device, pipe, socket); <see cref="IsSymlink"/> marks a symbolic link.
/// </summary>
public sealed record ZipSourceFile(string Path, long Size, Func<Stream> Open, bool IsRegular = true)
{
    /// <summary>A symbolic link; omitted like Go does (golang.org/issue/27093).</summary>
    public bool IsSymlink { get; init; }

    /// <summary>A file held in memory, for callers that build zips from generated content.</summary>
    public static ZipSourceFile FromBytes(string path, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new ZipSourceFile(path, data.LongLength, () => new MemoryStream(data, writable: false));
    }
}
