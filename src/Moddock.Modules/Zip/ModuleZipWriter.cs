using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Moddock.Modules.Zip;

/// <summary>
/// Writes the entries of a module zip as x/mod zip.Create does: "M@V/path" names, Deflate at the
/// default level, no directory entries, 1980 timestamps, no permission bits. Each file is streamed
/// through a fixed buffer, hashed on the way, so the zip's h1 comes out without reading it back.
/// </summary>
internal static class ModuleZipWriter
{
    // The DOS epoch: the zip format cannot say "no time", so this is the closest to Go's zero time.
    private static readonly DateTimeOffset DosEpoch = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes the files and returns the h1 of the zip, or Go's error text when a file grows past its declared size.</summary>
    public static (string? H1, ModuleError? Error) Write(Stream output, string prefix, IReadOnlyList<ZipSourceFile> files)
    {
        var sums = new List<(string Name, byte[] Sum)>(files.Count);
        var buffer = ArrayPool<byte>.Shared.Rent(DirHash.BufferSize);
        try
        {
            using var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var file in files)
            {
                var name = prefix + file.Path;
                var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = DosEpoch;
                using var source = file.Open();
                using var target = entry.Open();
                var remaining = file.Size;
                int n;

                // Read one byte past the declared size to notice a file that grew (Go's LimitedReader of size+1).
                while ((n = source.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining + 1))) > 0)
                {
                    if (n > remaining)
                    {
                        return (null, new ModuleError(ModuleErrorKind.ZipInvalid, ZipReasons.LargerThanDeclared(file.Path)));
                    }

                    target.Write(buffer, 0, n);
                    hash.AppendData(buffer, 0, n);
                    remaining -= n;
                }

                sums.Add((name, hash.GetHashAndReset()));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (DirHash.FromFileSums(sums), null);
    }
}
