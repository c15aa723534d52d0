using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Moddock.Modules.Zip;

/// <summary>
/// golang.org/x/mod/sumdb/dirhash, hash "h1": SHA-256 over the sorted lines
/// "hex(sha256(file))  name\n", base64-encoded with the prefix "h1:".
/// </summary>
public static class DirHash
{
    internal const int BufferSize = 128 * 1024;

    /// <summary>h1 of a module zip: every entry (directories included) under its full name, like dirhash.HashZip.</summary>
    public static string HashZip(string zipFile)
    {
        ArgumentNullException.ThrowIfNull(zipFile);
        try
        {
            using var stream = new FileStream(zipFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
            using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false, Encoding.UTF8);

            // Go hashes one line per entry name, opening the last entry of that name (a map lookup).
            var byName = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            var names = new List<string>(archive.Entries.Count);
            foreach (var entry in archive.Entries)
            {
                names.Add(entry.FullName);
                byName[entry.FullName] = entry;
            }

            return Hash1(names.Select(n => (n, (Func<Stream>)(() => byName[n].Open()))));
        }
        catch (InvalidDataException e)
        {
            throw new ModuleException(new ModuleError(ModuleErrorKind.ZipInvalid, $"{zipFile}: zip: not a valid zip file ({e.Message})"));
        }
    }

    /// <summary>h1 of a go.mod file, as in go.sum's "M V/go.mod h1:" line: one file named "go.mod".</summary>
    public static string HashGoMod(ReadOnlySpan<byte> goMod)
    {
        var line = new StringBuilder(128);
        line.Append(Convert.ToHexStringLower(SHA256.HashData(goMod))).Append("  go.mod\n");
        return "h1:" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(line.ToString())));
    }

    /// <summary>dirhash.Hash1 over named files; the names are sorted here, byte-wise like Go.</summary>
    public static string Hash1(IEnumerable<(string Name, Func<Stream> Open)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var sorted = files.ToList();
        sorted.Sort((a, b) => Utf8Order.Instance.Compare(a.Name, b.Name));
        var lines = new List<(string Name, byte[] Sum)>(sorted.Count);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            foreach (var (name, open) in sorted)
            {
                CheckName(name);
                using var stream = open();
                lines.Add((name, HashStream(stream, buffer)));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return FromFileSums(lines);
    }

    /// <summary>Combines per-file SHA-256 sums (in any order) into the h1 summary.</summary>
    internal static string FromFileSums(IEnumerable<(string Name, byte[] Sum)> fileSums)
    {
        var sorted = fileSums.ToList();
        sorted.Sort((a, b) => Utf8Order.Instance.Compare(a.Name, b.Name));
        using var summary = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, sum) in sorted)
        {
            CheckName(name);
            summary.AppendData(Encoding.UTF8.GetBytes(Convert.ToHexStringLower(sum) + "  " + name + "\n"));
        }

        return "h1:" + Convert.ToBase64String(summary.GetHashAndReset());
    }

    internal static byte[] HashStream(Stream stream, byte[] buffer)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            hash.AppendData(buffer, 0, n);
        }

        return hash.GetHashAndReset();
    }

    private static void CheckName(string name)
    {
        if (name.Contains('\n', StringComparison.Ordinal))
        {
            // dirhash: "filenames with newlines are not supported"
            throw new ModuleException(new ModuleError(ModuleErrorKind.Other, $"dirhash: filenames with newlines are not supported: {name.ReplaceLineEndings("\\n")}"));
        }
    }
}
