using Moddock.Sumdb.Tlog;

namespace Moddock.Sumdb.Tests.Support;

/// <summary>Stored hashes of a log of records, built with our own TreeMath (the thing under test).</summary>
internal sealed class MemoryHashes : IHashReader
{
    public List<TlogHash> Hashes { get; } = [];

    public long Count { get; private set; }

    public static async Task<MemoryHashes> BuildAsync(IEnumerable<byte[]> records)
    {
        var m = new MemoryHashes();
        foreach (var r in records)
        {
            m.Hashes.AddRange(await TreeMath.StoredHashesForRecordHashAsync(m.Count, TlogHash.Record(r), m, CancellationToken.None));
            m.Count++;
        }

        return m;
    }

    public ValueTask<IReadOnlyList<TlogHash>> ReadHashesAsync(IReadOnlyList<long> indexes, CancellationToken ct) =>
        ValueTask.FromResult<IReadOnlyList<TlogHash>>(indexes.Select(i => Hashes[(int)i]).ToArray());
}
