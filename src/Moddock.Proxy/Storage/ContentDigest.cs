using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Moddock.Proxy.Storage;

/// <summary>
/// The SHA-256 of a stored immutable artifact, kept with the file itself in the extended attribute
/// <c>user.moddock.sha256</c> (32 raw bytes). It is set on the temp file before its fsync and rename, so it is
/// committed with the bytes it describes, atomically and without a second file (a side file would need its own
/// rename, could outlive or precede its artifact in a crash, and two processes storing one version at once could
/// leave one's digest beside the other's bytes). A reader that finds the bytes no longer match knows the file was
/// damaged after it was stored, even when its length is unchanged (a flipped bit, a change by hand), which the
/// length and format checks cannot see. .NET has no API for extended attributes, hence the libc calls.
/// A file system without user extended attributes, or a copy of the storage made without them (<c>cp</c> without
/// <c>-a</c>, <c>rsync</c> without <c>-X</c>), just has no digest: such files get the older checks only.
/// </summary>
internal static partial class ContentDigest
{
    public const int Length = 32;
    private const string AttributeName = "user.moddock.sha256";

    // errno (Linux) of a file system that keeps no user attributes: no digest, not a failure.
    private const int ENOTSUP = 95;

    private static volatile bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>False once the platform showed it has no xattr calls at all (not Linux, no libc entry points).</summary>
    public static bool Available => !_unavailable;

    public static byte[] Of(ReadOnlySpan<byte> content) => SHA256.HashData(content);

    /// <summary>The SHA-256 of the whole file behind <paramref name="handle"/>, read with positional reads.</summary>
    public static byte[] Of(SafeFileHandle handle)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[128 * 1024];
        long offset = 0;
        for (int n; (n = RandomAccess.Read(handle, buffer, offset)) > 0; offset += n)
        {
            hash.AppendData(buffer, 0, n);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>The SHA-256 of everything <paramref name="stream"/> yields from where it stands.</summary>
    public static async Task<byte[]> OfAsync(Stream stream, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[128 * 1024];
        for (int n; (n = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0;)
        {
            hash.AppendData(buffer, 0, n);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>
    /// Records <paramref name="digest"/> on the open file; false when the file system keeps no user attributes
    /// (the artifact is stored all the same, without one). Other errors are the storage's and are thrown.
    /// </summary>
    public static bool TryWrite(SafeFileHandle handle, byte[] digest)
    {
        if (_unavailable)
        {
            return false;
        }

        try
        {
            var fd = (int)handle.DangerousGetHandle();
            if (FSetXattr(fd, AttributeName, ref MemoryMarshal.GetArrayDataReference(digest), (nuint)digest.Length, 0) == 0)
            {
                return true;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return false;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno is ENOTSUP)
        {
            return false;
        }

        throw new IOException($"cannot record the artifact's SHA-256 ({AttributeName}): {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>
    /// The digest recorded on the file at <paramref name="path"/> (never following a link), or null when it has
    /// none (stored before digests were kept, copied without attributes, or a file system without them) or the
    /// attribute is not 32 bytes (not ours).
    /// </summary>
    public static byte[]? TryRead(string path)
    {
        if (_unavailable)
        {
            return null;
        }

        var value = new byte[Length + 1];
        nint read;
        try
        {
            read = LGetXattr(path, AttributeName, ref MemoryMarshal.GetArrayDataReference(value), (nuint)value.Length);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return null;
        }

        // -1 with ENODATA/ENOTSUP (none), ERANGE (longer than ours), or the file gone: no digest to check against.
        return read == Length ? value[..Length] : null;
    }

    [LibraryImport("libc", EntryPoint = "fsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int FSetXattr(int fd, string name, ref byte value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial nint LGetXattr(string path, string name, ref byte value, nuint size);
}
