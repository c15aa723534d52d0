using System.Runtime.InteropServices;

namespace Moddock.Modules.Zip;

public enum FileKindValue
{
    Regular,
    Directory,
    Symlink,
    Other,
}

/// <summary>
/// lstat's file type. .NET's FileSystemInfo reports pipes, sockets and devices as ordinary files,
/// but Go leaves every irregular file out of a module zip, so on Unix the type bits come from the
/// runtime's own native lstat shim (SystemNative_LStat, the call FileSystemInfo uses internally).
/// The disk store uses it too: a pipe in an artifact's place would block the read that opens it.
/// </summary>
public static class FileKind
{
    private const int TypeMask = 0xF000;
    private const int TypeRegular = 0x8000;
    private const int TypeDirectory = 0x4000;
    private const int TypeSymlink = 0xA000;

    private static bool _nativeUnavailable;

    public static FileKindValue Of(FileSystemInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.LinkTarget is not null)
        {
            return FileKindValue.Symlink;
        }

        if (info is DirectoryInfo)
        {
            return FileKindValue.Directory;
        }

        if (OperatingSystem.IsWindows() || _nativeUnavailable)
        {
            return FileKindValue.Regular;
        }

        try
        {
            if (LStat(info.FullName, out var status) != 0)
            {
                return FileKindValue.Regular;
            }

            return TypeOf(status.Mode);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _nativeUnavailable = true;
            return FileKindValue.Regular;
        }
    }

    /// <summary>
    /// The type of what is at <paramref name="path"/> itself (a link is reported, never followed), or null when
    /// nothing is there or it cannot be looked at. One lstat(2), no more than a File.Exists.
    /// </summary>
    public static FileKindValue? OfPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows() || _nativeUnavailable)
        {
            return new FileInfo(path).LinkTarget is not null ? FileKindValue.Symlink
                : File.Exists(path) ? FileKindValue.Regular
                : Directory.Exists(path) ? FileKindValue.Directory
                : null;
        }

        try
        {
            return LStat(path, out var status) == 0 ? TypeOf(status.Mode) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _nativeUnavailable = true;
            return OfPath(path);
        }
    }

    private static FileKindValue TypeOf(int mode) => (mode & TypeMask) switch
    {
        TypeRegular => FileKindValue.Regular,
        TypeDirectory => FileKindValue.Directory,
        TypeSymlink => FileKindValue.Symlink,
        _ => FileKindValue.Other,
    };

    // DllImport rather than LibraryImport: the signature is blittable apart from the UTF-8 path and needs no unsafe code.
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int LStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out NativeFileStatus output);

    // The runtime's FileStatus begins with Flags and Mode; the rest is left as room (Size) for its other fields.
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct NativeFileStatus
    {
        public int Flags;
        public int Mode;
    }
}
