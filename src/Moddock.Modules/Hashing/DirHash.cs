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

    // Below this much content a second reader costs more than it saves.
    private const long ParallelHashBytes = 4L << 20;

    /// <summary>h1 of a module zip: every entry (directories included) under its full name, like dirhash.HashZip.</summary>
    public static string HashZip(string zipFile)
    {
        ArgumentNullException.ThrowIfNull(zipFile);
        try
        {
            using var archive = OpenZip(zipFile);
            var entries = archive.Entries;

            // Go hashes one line per entry name, reading the last entry of that name (a map lookup).
            var names = new string[entries.Count];
            var last = new Dictionary<string, int>(entries.Count, StringComparer.Ordinal);
            long totalSize = 0;
            for (var i = 0; i < entries.Count; i++)
            {
                names[i] = entries[i].FullName;
                last[names[i]] = i;
                totalSize += entries[i].Length;
            }

            var lastIndexOfName = Array.ConvertAll(names, n => last[n]);
            var sums = new byte[names.Length][];
            if (totalSize < ParallelHashBytes || names.Length < 2)
            {
                // Most module zips: one pass over the archive already open.
                HashEntries(entries, lastIndexOfName, sums, 0, 1);
            }
            else
            {
                // Each worker reads its share of the entries through its own handle on the file; the
                // summary is made from the sorted lines afterwards, so the order of work does not matter.
                var workers = Math.Clamp(Environment.ProcessorCount, 1, 4);
                Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
                {
                    using var own = OpenZip(zipFile);
                    HashEntries(own.Entries, lastIndexOfName, sums, w, workers);
                });
            }

            return FromFileSums(names.Select((n, i) => (n, sums[lastIndexOfName[i]])));
        }
        catch (AggregateException e) when (e.InnerException is InvalidDataException inner)
        {
            throw NotAZip(zipFile, inner);
        }
        catch (InvalidDataException e)
        {
            throw NotAZip(zipFile, e);
        }
    }

    private static void HashEntries(IReadOnlyList<ZipArchiveEntry> entries, int[] lastIndexOfName, byte[][] sums, int first, int step)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            for (var i = first; i < entries.Count; i += step)
            {
                if (lastIndexOfName[i] == i)
                {
                    using var stream = entries[i].Open();
                    sums[i] = HashStream(stream, buffer);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ZipArchive OpenZip(string zipFile)
    {
        var stream = new FileStream(zipFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false, Encoding.UTF8);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static ModuleException NotAZip(string zipFile, InvalidDataException e) =>
        new(new ModuleError(ModuleErrorKind.ZipInvalid, $"{zipFile}: zip: not a valid zip file ({e.Message})"));

    /// <summary>h1 of a go.mod file, as in go.sum's "M V/go.mod h1:" line: one file named "go.mod".</summary>
    public static string HashGoMod(ReadOnlySpan<byte> goMod)
    {
        return FromFileSums([("go.mod", SHA256.HashData(goMod))]);
    }

    /// <summary>h1 of a go.mod file read from a stream, without holding it in memory.</summary>
    public static string HashGoMod(Stream goMod)
    {
        ArgumentNullException.ThrowIfNull(goMod);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            return FromFileSums([("go.mod", HashStream(goMod, buffer))]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
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
