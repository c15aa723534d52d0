using System.Globalization;
using System.Text;
using Moddock.Sumdb.Tlog;

namespace Moddock.Sumdb.PrivateLog;

/// <summary>
/// The append-only record file of a private log: each record is "LEN\n" then LEN bytes, appended and
/// fsynced before it counts. Several Moddock processes may share one storage directory, so appends happen
/// only under an exclusive lock on records.lock (flock through FileShare.None, released by the kernel when a
/// holder dies), after reading what the others appended; readers pick up new complete records as they come.
/// A torn tail (a crash mid-append) is cut off, but only by the lock holder: a tail being written by a live
/// process is never touched. The stored hashes are recomputed from the records, so a record and its hashes
/// can never disagree. Not thread-safe: the owner locks.
/// </summary>
internal sealed class PrivateLogStore : IHashReader
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private readonly string _file;
    private readonly string _lockFile;
    private readonly List<byte[]> _records = [];
    private readonly List<TlogHash> _hashes = [];

    // Bytes of the file held in memory: always the end of a complete record.
    private long _length;

    private PrivateLogStore(string dir)
    {
        _file = Path.Combine(dir, "records.log");
        _lockFile = Path.Combine(dir, "records.lock");
    }

    public long Count => _records.Count;

    public IReadOnlyList<byte[]> Records => _records;

    public static async Task<PrivateLogStore> OpenAsync(string dir, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        var store = new PrivateLogStore(dir);
        using (await store.LockAsync(ct).ConfigureAwait(false))
        {
            await store.ReadAppendedAsync(cutTornTail: true, ct).ConfigureAwait(false);
        }

        return store;
    }

    /// <summary>Waits (bounded) for the exclusive right to append; dispose to release it.</summary>
    public async Task<IDisposable> LockAsync(CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                return new FileStream(_lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (File.Exists(_lockFile) && System.Diagnostics.Stopwatch.GetElapsedTime(started) < LockTimeout)
            {
                // Held by another process sharing the storage (or another instance): it appends one record at a time.
                await Task.Delay(20, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Reads the complete records appended (by another process) since the last read; returns how many.
    /// With <paramref name="cutTornTail"/> (only under <see cref="LockAsync"/>) an incomplete tail is cut off.
    /// </summary>
    public async Task<int> ReadAppendedAsync(bool cutTornTail, CancellationToken ct)
    {
        var info = new FileInfo(_file);
        if (!info.Exists || info.Length <= _length)
        {
            return 0;
        }

        byte[] data;
        await using (var fs = new FileStream(_file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            fs.Position = _length;
            data = new byte[fs.Length - _length];
            await fs.ReadExactlyAsync(data, ct).ConfigureAwait(false);
        }

        var pos = 0;
        var added = 0;
        while (pos < data.Length)
        {
            var nl = Array.IndexOf(data, (byte)'\n', pos);
            if (nl < 0 || !int.TryParse(data.AsSpan(pos, nl - pos), NumberStyles.None, CultureInfo.InvariantCulture, out var len)
                || nl + 1 + (long)len > data.Length)
            {
                break;
            }

            await AddInMemoryAsync(data.AsSpan(nl + 1, len).ToArray(), ct).ConfigureAwait(false);
            pos = nl + 1 + len;
            added++;
        }

        _length += pos;
        if (cutTornTail && pos < data.Length)
        {
            if (!IsTornAppend(data.AsSpan(pos)))
            {
                // Cutting here would drop acknowledged records: a rollback every client sees as a SECURITY ERROR.
                throw new IOException($"{_file} is corrupt at byte {_length}: the record there is neither complete nor an interrupted append; restore the file from a backup (nothing was cut)");
            }

            // Torn tail from an interrupted append: it was never acknowledged, so drop it.
            await using var fs = new FileStream(_file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            fs.SetLength(_length);
            fs.Flush(flushToDisk: true);
        }

        return added;
    }

    /// <summary>Appends a record; only under <see cref="LockAsync"/>, after <see cref="ReadAppendedAsync"/>.</summary>
    public async Task<long> AppendAsync(byte[] record, CancellationToken ct)
    {
        var header = Encoding.ASCII.GetBytes(record.Length.ToString(CultureInfo.InvariantCulture) + "\n");
        await using (var fs = new FileStream(_file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 4096, FileOptions.WriteThrough))
        {
            await fs.WriteAsync(header, ct).ConfigureAwait(false);
            await fs.WriteAsync(record, ct).ConfigureAwait(false);
            fs.Flush(flushToDisk: true);
        }

        _length += header.Length + record.Length;
        return await AddInMemoryAsync(record, ct).ConfigureAwait(false);
    }

    public ValueTask<IReadOnlyList<TlogHash>> ReadHashesAsync(IReadOnlyList<long> indexes, CancellationToken ct)
    {
        var list = new TlogHash[indexes.Count];
        for (var i = 0; i < indexes.Count; i++)
        {
            if (indexes[i] < 0 || indexes[i] >= _hashes.Count)
            {
                throw new TlogException("index not in log");
            }

            list[i] = _hashes[(int)indexes[i]];
        }

        return ValueTask.FromResult<IReadOnlyList<TlogHash>>(list);
    }

    // What one interrupted AppendAsync can leave: part of a length header, or a header and fewer bytes than it
    // announces of one record ("M V h1:…\nM V/go.mod h1:…\n", so at most two line ends). Anything else is damage.
    private static bool IsTornAppend(ReadOnlySpan<byte> tail)
    {
        var nl = tail.IndexOf((byte)'\n');
        var header = nl < 0 ? tail : tail[..nl];
        if (header.Length is 0 or > 9 || header.ContainsAnyExcept("0123456789"u8))
        {
            return nl < 0 && header.Length == 0;
        }

        if (nl < 0)
        {
            return true;
        }

        var body = tail[(nl + 1)..];
        return body.Length < int.Parse(header, NumberStyles.None, CultureInfo.InvariantCulture) && body.Count((byte)'\n') <= 2;
    }

    private async Task<long> AddInMemoryAsync(byte[] record, CancellationToken ct)
    {
        var id = _records.Count;
        var hashes = await TreeMath.StoredHashesForRecordHashAsync(id, TlogHash.Record(record), this, ct).ConfigureAwait(false);
        _records.Add(record);
        _hashes.AddRange(hashes);
        return id;
    }
}
