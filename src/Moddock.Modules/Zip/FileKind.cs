using System.Runtime.InteropServices;

namespace Moddock.Modules.Zip;

internal enum FileKindValue
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
/// </summary>
internal static class FileKind
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

            return (status.Mode & TypeMask) switch
            {
                TypeRegular => FileKindValue.Regular,
                TypeDirectory => FileKindValue.Directory,
                TypeSymlink => FileKindValue.Symlink,
                _ => FileKindValue.Other,
            };
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _nativeUnavailable = true;
            return FileKindValue.Regular;
        }
    }

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
