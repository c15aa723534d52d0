using System.Buffers.Binary;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Verification;

namespace Moddock.Proxy.Resolution;

/// <summary>
/// Cheap checks that a stored .info/.mod/.zip is still what was verified when it was stored. The store's own writes
/// are atomic, so a bad file means someone else's hand: a restore that truncated files, a disk that lost blocks, an
/// editor, another tool. Served as a hit, it would be cached by every client (a go.mod) or fail in the go command
/// with a confusing error (a truncated zip); found here, it is discarded and fetched again.
/// A file stored with its digest (<see cref="ContentDigest"/>, XXH128, every immutable artifact this store wrote on a file
/// system with extended attributes) must still match it: that finds any change, a flipped bit inside a zip included,
/// which would otherwise reach every client as a checksum mismatch (go.sum, the checksum database) until someone
/// deleted the file by hand. Without a digest the checks are by format: the .info and .mod as at fetch time (the
/// .info names this version, the go.mod parses and names this module); a zip must end with a ZIP
/// end-of-central-directory record, which a truncated one has lost.
/// </summary>
internal static class StoredArtifactCheck
{
    // A .info or go.mod larger than this is not one Moddock stored (upstream answers are read whole into memory).
    private const long MaxSmallArtifact = 16 << 20;

    // The fixed part of the ZIP end-of-central-directory record, and the largest comment it may be followed by.
    private const int EndRecordLength = 22;
    private const int MaxCommentLength = ushort.MaxValue;
    private const uint EndRecordSignature = 0x06054b50;

    /// <summary>Null when <paramref name="stored"/> passes, else what is wrong with it.</summary>
    public static async Task<string?> ProblemAsync(StoreKey key, StoredArtifact stored, CancellationToken ct)
    {
        if (stored.Length == 0)
        {
            return "it is empty";
        }

        if (key.Kind == ArtifactKind.Zip)
        {
            // The whole zip is read to check its digest, once per process (StoreReader remembers a sound file): the
            // price of finding damage the go command would otherwise report to every client as a checksum mismatch.
            var stream = stored.Open(ct);
            await using (stream.ConfigureAwait(false))
            {
                // The digest and the bytes come from one open file, so a copy another process stores meanwhile
                // under the same name cannot be mistaken for damage.
                if (ContentDigest.TryRead(stream) is { } recorded)
                {
                    return DigestProblem(recorded, await ContentDigest.OfAsync(stream, ct).ConfigureAwait(false));
                }
            }

            return await ZipProblemAsync(stored, ct).ConfigureAwait(false);
        }

        if (stored.Length > MaxSmallArtifact)
        {
            return $"it is {stored.Length} bytes long";
        }

        var (bytes, digest) = await ReadAllAsync(stored, withDigest: true, ct).ConfigureAwait(false);
        if (digest is not null && DigestProblem(digest, ContentDigest.Of(bytes)) is { } changed)
        {
            return changed;
        }

        if (bytes.Length != stored.Length)
        {
            return $"it changed while being read ({bytes.Length} of {stored.Length} bytes)";
        }

        var version = key.Version!.Value;
        if (key.Kind == ArtifactKind.Mod)
        {
            return ArtifactVerifier.CheckModFile(key.Path, version, bytes, "the storage")?.Reason;
        }

        if (!VersionInfoJson.TryParse(bytes, out var info, out var error))
        {
            return $"it is not a version's .info: {error}";
        }

        return info!.Version == version.Value ? null : $"it names version {info.Version}";
    }

    private static string? DigestProblem(byte[] recorded, byte[] actual) =>
        recorded.AsSpan().SequenceEqual(actual) ? null
        : $"its bytes no longer match the digest recorded when it was stored ({Convert.ToHexStringLower(recorded)}, now {Convert.ToHexStringLower(actual)})";

    private static async Task<string?> ZipProblemAsync(StoredArtifact stored, CancellationToken ct)
    {
        var tailLength = (int)Math.Min(stored.Length, EndRecordLength + MaxCommentLength);
        if (tailLength < EndRecordLength)
        {
            return $"it is {stored.Length} bytes long, too short for a zip";
        }

        // Usually the record is the last 22 bytes (module zips carry no comment): read just those first.
        var tail = await ReadTailAsync(stored, EndRecordLength, ct).ConfigureAwait(false);
        if (IsEndRecord(tail, 0))
        {
            return null;
        }

        tail = await ReadTailAsync(stored, tailLength, ct).ConfigureAwait(false);
        for (var at = tail.Length - EndRecordLength - 1; at >= 0; at--)
        {
            if (IsEndRecord(tail, at))
            {
                return null;
            }
        }

        return "it does not end with a zip's end-of-central-directory record (truncated?)";
    }

    // The signature, followed by a comment length that reaches exactly to the end of the file.
    private static bool IsEndRecord(byte[] tail, int at) =>
        tail.Length - at >= EndRecordLength
        && BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at)) == EndRecordSignature
        && BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 20)) == tail.Length - at - EndRecordLength;

    private static async Task<byte[]> ReadTailAsync(StoredArtifact stored, int length, CancellationToken ct)
    {
        var stream = stored.Open(ct);
        await using (stream.ConfigureAwait(false))
        {
            stream.Seek(stored.Length - length, SeekOrigin.Begin);
            var buffer = new byte[length];
            var n = await stream.ReadAtLeastAsync(buffer, length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            return n == length ? buffer : buffer[..n];
        }
    }

    /// <summary>The whole of a small artifact, as one consistent copy (a replacement is a rename).</summary>
    internal static async Task<byte[]> ReadAllAsync(StoredArtifact stored, CancellationToken ct) =>
        (await ReadAllAsync(stored, withDigest: false, ct).ConfigureAwait(false)).Bytes;

    /// <summary>The whole of a small artifact and, when asked, the digest recorded on the very file read.</summary>
    private static async Task<(byte[] Bytes, byte[]? Digest)> ReadAllAsync(StoredArtifact stored, bool withDigest, CancellationToken ct)
    {
        var stream = stored.Open(ct);
        await using (stream.ConfigureAwait(false))
        {
            var digest = withDigest ? ContentDigest.TryRead(stream) : null;
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
            return (buffer.ToArray(), digest);
        }
    }
}
