namespace Moddock.Proxy.Storage;

/// <summary>Options of the embedded disk store.</summary>
public sealed class DiskModuleStoreOptions
{
    /// <summary>
    /// The storage root. Its tree mirrors the escaped GOPROXY URL space (<c>M/@v/list</c>, <c>M/@v/V.info</c>,
    /// <c>M/@v/V.mod</c>, <c>M/@v/V.zip</c>, <c>M/@latest</c>), so it is itself usable as <c>GOPROXY=file:///root</c>.
    /// Required; the server's default is <c>~/.cache/moddock</c>.
    /// </summary>
    public string Root { get; set; } = "";

    /// <summary>
    /// How long a temp file must have gone unwritten before start-up deletes it as a crash's leftover. Other
    /// processes may share the storage and be writing their own temps right now (a download in progress writes
    /// at least once per upstream body-idle timeout), so a fresh temp is left alone; a leftover younger than
    /// this goes at a later start. Temps are never served, whatever their age.
    /// </summary>
    public TimeSpan AbandonedTempAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Creates a new temp file for writing (<see cref="FileMode.CreateNew"/>). Tests replace it to stand for a full
    /// or failing disk without needing a real one (or root to mount a small file system).
    /// </summary>
    internal Func<string, FileStream> CreateTempFile { get; set; } = DefaultCreateTempFile;

    /// <summary>
    /// Free bytes on the file system holding the given directory (statvfs), or <see cref="long.MaxValue"/> when it
    /// cannot be told. Tests replace it along with <see cref="CreateTempFile"/>.
    /// </summary>
    internal Func<string, long> AvailableSpace { get; set; } = DefaultAvailableSpace;

    private static long DefaultAvailableSpace(string directory)
    {
        try
        {
            return new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return long.MaxValue;
        }
    }

    private static FileStream DefaultCreateTempFile(string path) =>
        new(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous);
}
