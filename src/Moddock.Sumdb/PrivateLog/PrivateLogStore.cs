using System.Globalization;
using System.Text;
using Moddock.Sumdb.Tlog;

namespace Moddock.Sumdb.PrivateLog;

/// <summary>
/// The append-only record file of a private log: each record is "LEN\n" then LEN bytes, appended and
/// fsynced before it counts. On open, a torn tail (a crash mid-append) is cut off; the stored hashes are
/// recomputed from the records, so a record and its hashes can never disagree. Not thread-safe: the owner locks.
/// </summary>
internal sealed class PrivateLogStore : IHashReader
{
    private readonly string _file;
    private readonly List<byte[]> _records = [];
    private readonly List<TlogHash> _hashes = [];

    private PrivateLogStore(string file) => _file = file;

    public long Count => _records.Count;

    public IReadOnlyList<byte[]> Records => _records;

    public static async Task<PrivateLogStore> OpenAsync(string dir, CancellationToken ct)
    {
        Directory.CreateDirectory(dir);
        var store = new PrivateLogStore(Path.Combine(dir, "records.log"));
        var data = File.Exists(store._file) ? await File.ReadAllBytesAsync(store._file, ct).ConfigureAwait(false) : [];
        var pos = 0;
        while (pos < data.Length)
        {
            var nl = Array.IndexOf(data, (byte)'\n', pos);
            if (nl < 0 || !int.TryParse(data.AsSpan(pos, nl - pos), NumberStyles.None, CultureInfo.InvariantCulture, out var len)
                || nl + 1 + (long)len > data.Length)
            {
                break;
            }

            await store.AddInMemoryAsync(data.AsSpan(nl + 1, len).ToArray(), ct).ConfigureAwait(false);
            pos = nl + 1 + len;
        }

        if (pos < data.Length)
        {
            // Torn tail from an interrupted append: it was never acknowledged, so drop it.
            await using var fs = new FileStream(store._file, FileMode.Open, FileAccess.Write);
            fs.SetLength(pos);
            fs.Flush(flushToDisk: true);
        }

        return store;
    }

    public async Task<long> AppendAsync(byte[] record, CancellationToken ct)
    {
        var header = Encoding.ASCII.GetBytes(record.Length.ToString(CultureInfo.InvariantCulture) + "\n");
        await using (var fs = new FileStream(_file, FileMode.Append, FileAccess.Write, FileShare.Read, 4096, FileOptions.WriteThrough))
        {
            await fs.WriteAsync(header, ct).ConfigureAwait(false);
            await fs.WriteAsync(record, ct).ConfigureAwait(false);
            fs.Flush(flushToDisk: true);
        }

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

    private async Task<long> AddInMemoryAsync(byte[] record, CancellationToken ct)
    {
        var id = _records.Count;
        var hashes = await TreeMath.StoredHashesForRecordHashAsync(id, TlogHash.Record(record), this, ct).ConfigureAwait(false);
        _records.Add(record);
        _hashes.AddRange(hashes);
        return id;
    }
}
