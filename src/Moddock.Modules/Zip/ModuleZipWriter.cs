using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Moddock.Modules.Zip;

/// <summary>
/// Writes the entries of a module zip as x/mod zip.Create does: "M@V/path" names, Deflate, no
/// directory entries, 1980 timestamps, no permission bits. Each file is hashed on the way, so the
/// zip's h1 comes out without reading the zip back.
/// Files up to <see cref="BufferedLimit"/> each are gathered in batches (at most
/// <see cref="BatchFiles"/> files or <see cref="BatchBytes"/> bytes, so memory stays bounded): their
/// bytes are read one file at a time on the calling thread, as <see cref="ZipSourceFile"/> promises
/// its callers (direct mode reads all files from one ZipArchive, which is not thread-safe; reading
/// it from several threads gave corrupt-header errors and, worse, wrong bytes). Only the CPU-bound
/// Deflate, CRC and SHA-256 run in parallel, on the buffers already read, and the entries are
/// written in order. Larger files are streamed through a fixed buffer on the calling thread, with
/// a data descriptor after them. Directory files (<see cref="ZipSourceFile.OpensIndependently"/>)
/// are also opened and read by the workers, since each Open makes its own FileStream.
/// </summary>
internal static class ModuleZipWriter
{
    /// <summary>
    /// zlib level 5. Go writes with compress/flate's default level (6); zlib-ng's level 5 already
    /// compresses tighter than Go's level 6 (bench/zip tree: 20.1 MB against Go's 20.3 MB), while its
    /// level 6 costs about 65% more CPU for 1.3% less. Only the h1 must match Go, never the bytes.
    /// </summary>
    private static readonly ZLibCompressionOptions Compression = new() { CompressionLevel = 5 };

    private const int BufferedLimit = 1 << 20;
    private const int StoreLimit = 64;
    private static readonly int Workers = Math.Clamp(Environment.ProcessorCount, 1, 4);
    private const int BatchFiles = 256;
    private const long BatchBytes = 8L << 20;

    /// <summary>Writes the files and returns the h1 of the zip, or Go's error text when a file holds more than it declared.</summary>
    public static (string? H1, ModuleError? Error) Write(Stream output, string prefix, IReadOnlyList<ZipSourceFile> files)
    {
        var sums = new List<(string Name, byte[] Sum)>(files.Count);
        var records = new List<ZipEntryRecord>(files.Count);
        var batch = new List<ZipSourceFile>(BatchFiles);
        long batchBytes = 0;
        long offset = 0;
        foreach (var file in files)
        {
            if (file.Size > BufferedLimit)
            {
                if (FlushBatch() is { } batchError)
                {
                    return (null, batchError);
                }

                if (WriteStreamed(output, prefix + file.Path, file, records, sums, ref offset) is { } streamError)
                {
                    return (null, streamError);
                }

                continue;
            }

            batch.Add(file);
            batchBytes += file.Size;
            if (batch.Count >= BatchFiles || batchBytes >= BatchBytes)
            {
                if (FlushBatch() is { } batchError)
                {
                    return (null, batchError);
                }
            }
        }

        if (FlushBatch() is { } lastError)
        {
            return (null, lastError);
        }

        ZipFormat.WriteCentralDirectory(output, records, offset);
        output.Flush();
        return (DirHash.FromFileSums(sums), null);

        // Reads a run of small files in order, compresses them in parallel, then writes them in order.
        ModuleError? FlushBatch()
        {
            if (batch.Count == 0)
            {
                return null;
            }

            // Serial phase: read the files whose Open must not run concurrently, in order.
            var loaded = new Loaded[batch.Count];
            var prepared = new Prepared[batch.Count];
            try
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    if (!batch[i].OpensIndependently)
                    {
                        loaded[i] = Load(batch[i]);
                        if (loaded[i].Error is { } loadError)
                        {
                            return loadError;
                        }
                    }
                }

                // Parallel phase: compress and hash the buffers (and read directory files, which is safe).
                if (batch.Count == 1 || Workers == 1)
                {
                    for (var i = 0; i < batch.Count; i++)
                    {
                        prepared[i] = Prepare(batch[i], ref loaded[i]);
                    }
                }
                else
                {
                    Parallel.For(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = Workers }, i => prepared[i] = Prepare(batch[i], ref loaded[i]));
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    var p = prepared[i];
                    if (p.Error is not null)
                    {
                        return p.Error;
                    }

                    var name = prefix + batch[i].Path;
                    var data = p.Compressed!.GetBuffer().AsSpan(0, (int)p.Compressed.Length);
                    var method = p.Stored ? ZipFormat.MethodStore : ZipFormat.MethodDeflate;
                    var record = new ZipEntryRecord(ZipFormat.EncodeName(name), ZipFormat.NameFlags(name), method, p.Crc, data.Length, p.Size, offset);
                    offset += ZipFormat.WriteLocalHeader(output, record);
                    output.Write(data);
                    offset += data.Length;
                    records.Add(record);
                    sums.Add((name, p.Sha256));
                }

                return null;
            }
            finally
            {
                foreach (var l in loaded)
                {
                    if (l.Buffer is not null)
                    {
                        ArrayPool<byte>.Shared.Return(l.Buffer);
                    }
                }

                batch.Clear();
                batchBytes = 0;
            }
        }
    }

    /// <summary>
    /// Reads a whole file into a pooled buffer, one byte past its declared size to notice a file
    /// that grew (Go's LimitedReader of size+1). On error the buffer is already returned.
    /// </summary>
    private static Loaded Load(ZipSourceFile file)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)file.Size + 1);
        var total = 0;
        try
        {
            using var source = file.Open();
            int n;
            while (total <= file.Size && (n = source.Read(buffer, total, (int)file.Size + 1 - total)) > 0)
            {
                total += n;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        if (total > file.Size)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return new Loaded(null, 0, new ModuleError(ModuleErrorKind.ZipInvalid, ZipReasons.LargerThanDeclared(file.Path)));
        }

        return new Loaded(buffer, total, null);
    }

    /// <summary>Compresses and hashes a loaded file; reads it first if it opens independently (then on a worker).</summary>
    private static Prepared Prepare(ZipSourceFile file, ref Loaded loaded)
    {
        if (loaded.Buffer is null)
        {
            loaded = Load(file);
            if (loaded.Error is { } error)
            {
                return new Prepared(null, false, 0, 0, [], error);
            }
        }

        var data = loaded.Buffer.AsSpan(0, loaded.Length);
        var compressed = new MemoryStream();
        if (file.Size <= StoreLimit)
        {
            compressed.Write(data);
        }
        else
        {
            using (var deflate = new DeflateStream(compressed, Compression, leaveOpen: true))
            {
                deflate.Write(data);
            }

            if (data.IsEmpty)
            {
                // zlib writes nothing for no input, but a Deflate entry needs a final block (Go's reader insists).
                compressed.Write([0x03, 0x00]);
            }
        }

        return new Prepared(compressed, file.Size <= StoreLimit, Crc32.Append(0, data), data.Length, SHA256.HashData(data), null);
    }

    private static ModuleError? WriteStreamed(Stream output, string name, ZipSourceFile file, List<ZipEntryRecord> records, List<(string, byte[])> sums, ref long offset)
    {
        var headerRecord = new ZipEntryRecord(ZipFormat.EncodeName(name), (ushort)(ZipFormat.NameFlags(name) | ZipFormat.FlagDataDescriptor), ZipFormat.MethodDeflate, 0, 0, 0, offset);
        var start = offset + ZipFormat.WriteLocalHeader(output, headerRecord);
        var counter = new CountingStream(output);
        var buffer = ArrayPool<byte>.Shared.Rent(DirHash.BufferSize);
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            uint crc = 0;
            long total = 0;
            using (var source = file.Open())
            using (var deflate = new DeflateStream(counter, Compression, leaveOpen: true))
            {
                int n;

                // Read one byte past the declared size to notice a file that grew (Go's LimitedReader of size+1).
                while ((n = source.Read(buffer, 0, (int)Math.Min(buffer.Length, file.Size - total + 1))) > 0)
                {
                    if (total + n > file.Size)
                    {
                        return new ModuleError(ModuleErrorKind.ZipInvalid, ZipReasons.LargerThanDeclared(file.Path));
                    }

                    var chunk = buffer.AsSpan(0, n);
                    deflate.Write(chunk);
                    sha.AppendData(chunk);
                    crc = Crc32.Append(crc, chunk);
                    total += n;
                }
            }

            if (total == 0)
            {
                // zlib writes nothing for no input, but a Deflate entry needs at least one final block (Go's reader insists).
                counter.Write([0x03, 0x00]);
            }

            offset = start + counter.Written;
            offset += ZipFormat.WriteDataDescriptor(output, crc, counter.Written, total);
            records.Add(headerRecord with { Crc = crc, CompressedSize = counter.Written, Size = total });
            sums.Add((name, sha.GetHashAndReset()));
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A file's bytes in a pooled buffer (returned by the batch), or why it could not be read.</summary>
    private record struct Loaded(byte[]? Buffer, int Length, ModuleError? Error);

    private sealed record Prepared(MemoryStream? Compressed, bool Stored, uint Crc, long Size, byte[] Sha256, ModuleError? Error);
}
