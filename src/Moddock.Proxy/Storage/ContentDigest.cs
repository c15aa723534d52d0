using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Moddock.Proxy.Storage;

/// <summary>
/// The digest of a stored immutable artifact, kept with the file itself in the extended attribute
/// <c>user.moddock.xxh128</c> (the 16-byte XXH3 128-bit hash, big-endian as System.IO.Hashing writes it). It guards
/// against accidental damage (a failing disk, a careless edit), not against someone who can write the storage, who
/// could rewrite the attribute too; tampering is the checksum database's job. So a fast non-cryptographic hash is the
/// right one: SHA-256 runs at about 300 MiB/s on this project's machines (no SHA instructions), delaying a big zip's
/// commit and its first read after a restart by 3 ms per MiB; XXH128 measured 5 GiB/s (0.2 ms per MiB) there.
/// It is set on the temp file before its fsync and rename, so it is committed with the bytes it describes,
/// atomically and without a second file (a side file would need its own rename, could outlive or precede its
/// artifact in a crash, and two processes storing one version at once could leave one's digest beside the other's
/// bytes). A reader that finds the bytes no longer match knows the file was
/// damaged after it was stored, even when its length is unchanged (a flipped bit, a change by hand), which the
/// length and format checks cannot see. .NET has no API for extended attributes, hence the libc calls.
/// A file system without user extended attributes, or a copy of the storage made without them (<c>cp</c> without
/// <c>-a</c>, <c>rsync</c> without <c>-X</c>), just has no digest: such files get the older checks only.
/// </summary>
internal static partial class ContentDigest
{
    public const int Length = 16;
    private const string AttributeName = "user.moddock.xxh128";

    // Pooled: a fresh 128 KiB buffer per zip would land on the large object heap every time.
    private const int BufferSize = 128 * 1024;

    // errno (Linux) of the failures that are the disk's, not the attribute's: an I/O error, a full disk or quota.
    private const int EIO = 5;
    private const int ENOSPC = 28;
    private const int EDQUOT = 122;

    private static volatile bool _unavailable = !OperatingSystem.IsLinux();

    public static byte[] Of(ReadOnlySpan<byte> content) => XxHash128.Hash(content);

    /// <summary>The digest of the whole file behind <paramref name="handle"/>, read with positional reads.</summary>
    public static byte[] Of(SafeFileHandle handle)
    {
        var hash = new XxHash128();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long offset = 0;
            for (int n; (n = RandomAccess.Read(handle, buffer.AsSpan(0, BufferSize), offset)) > 0; offset += n)
            {
                hash.Append(buffer.AsSpan(0, n));
            }

            return hash.GetCurrentHash();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The digest of everything <paramref name="stream"/> yields from where it stands.</summary>
    public static async Task<byte[]> OfAsync(Stream stream, CancellationToken ct)
    {
        var hash = new XxHash128();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            for (int n; (n = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), ct).ConfigureAwait(false)) > 0;)
            {
                hash.Append(buffer.AsSpan(0, n));
            }

            return hash.GetCurrentHash();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Why the last digest could not be recorded (the file system's words), or null while they are; /readyz shows
    /// it, since files stored without a digest get the format checks only.
    /// </summary>
    public static string? Problem { get; private set; }

    /// <summary>
    /// Records <paramref name="digest"/> on the open file; false when it cannot be (no user attributes on this file
    /// system, a security policy or a read-only owner bit refusing them): the artifact is stored all the same,
    /// without one. Only the errors that mean the disk itself failed or is full are thrown, as the storage's.
    /// </summary>
    public static bool TryWrite(SafeFileHandle handle, byte[] digest)
    {
        if (_unavailable)
        {
            return false;
        }

        try
        {
            if (FSetXattr(handle, AttributeName, ref MemoryMarshal.GetArrayDataReference(digest), (nuint)digest.Length, 0) == 0)
            {
                Problem = null;
                return true;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            Problem = "extended attributes are not available on this platform";
            return false;
        }

        var errno = Marshal.GetLastPInvokeError();
        var why = Marshal.GetPInvokeErrorMessage(errno);
        if (errno is EIO or ENOSPC or EDQUOT)
        {
            throw new IOException($"cannot record the artifact's digest ({AttributeName}): {why}");
        }

        Problem = $"cannot record digests ({AttributeName}): {why}";
        return false;
    }

    /// <summary>
    /// The digest recorded on the open file, or null when it has none (stored before digests were kept, copied
    /// without attributes, or a file system without them) or the attribute is not 16 bytes (not ours). Read from
    /// the handle whose bytes are then checked, so both are of one file even if the name is replaced meanwhile.
    /// </summary>
    public static byte[]? TryRead(SafeFileHandle handle)
    {
        if (_unavailable)
        {
            return null;
        }

        var value = new byte[Length + 1];
        nint read;
        try
        {
            read = FGetXattr(handle, AttributeName, ref MemoryMarshal.GetArrayDataReference(value), (nuint)value.Length);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return null;
        }

        // -1 with ENODATA/ENOTSUP (none) or ERANGE (longer than ours): no digest to check against.
        return read == Length ? value[..Length] : null;
    }

    /// <summary>The digest recorded on the file a store stream reads, when it is a file; else null.</summary>
    public static byte[]? TryRead(Stream stream) => stream is FileStream file ? TryRead(file.SafeFileHandle) : null;

    [LibraryImport("libc", EntryPoint = "fsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int FSetXattr(SafeFileHandle fd, string name, ref byte value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "fgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial nint FGetXattr(SafeFileHandle fd, string name, ref byte value, nuint size);
}
