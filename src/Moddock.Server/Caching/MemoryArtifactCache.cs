using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Moddock.Server.Caching;

/// <summary>
/// A byte-budgeted in-memory copy of immutable artifacts (.info/.mod/.zip of canonical versions) that
/// the store already holds, keyed by the raw request target. The store never changes such a file once
/// committed, and parsing a target is a pure function, so a target that once resolved to a stored
/// immutable file names the same bytes forever: a hit can skip routing, the resolver and the disk.
/// Lookups are lock-free; inserts and evictions take a lock and use the clock (second-chance)
/// algorithm: an entry read since the hand last passed survives one more round.
/// </summary>
internal sealed class MemoryArtifactCache
{
    /// <summary>Accounted per entry on top of its body: the key string, the entry and the dictionary node.</summary>
    internal const int EntryOverhead = 256;

    /// <summary>One artifact may take at most this share of the budget, so a few zips cannot flush every .info.</summary>
    internal const int MaxEntryShare = 16;

    private readonly ConcurrentDictionary<string, CachedArtifact> _entries = new(StringComparer.Ordinal);
    private readonly Queue<KeyValuePair<string, CachedArtifact>> _clock = new();
    private readonly Lock _gate = new();
    private long _used;

    /// <param name="budgetBytes">Total bytes the cache may hold, overhead included; 0 disables it.</param>
    public MemoryArtifactCache(long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budgetBytes);
        BudgetBytes = budgetBytes;
        MaxEntryBytes = budgetBytes / MaxEntryShare;
    }

    public long BudgetBytes { get; }

    /// <summary>Largest body admitted: 1/16 of the budget (4 MiB at the 64 MiB default).</summary>
    public long MaxEntryBytes { get; }

    public long UsedBytes => Volatile.Read(ref _used);

    public int Count => _entries.Count;

    /// <summary>Whether a body of this length would be admitted at all.</summary>
    public bool Admits(long length) => length >= 0 && length <= MaxEntryBytes;

    public bool TryGet(string key, [NotNullWhen(true)] out CachedArtifact? entry)
    {
        if (_entries.TryGetValue(key, out entry))
        {
            entry.Touch();
            return true;
        }

        return false;
    }

    /// <summary>Adds an entry, evicting others until it fits; false when it is too large or already there.</summary>
    public bool TryAdd(string key, CachedArtifact entry)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entry);
        if (!Admits(entry.Body.Length))
        {
            return false;
        }

        var cost = Cost(key, entry);
        lock (_gate)
        {
            if (_entries.ContainsKey(key))
            {
                return false;
            }

            // Each entry gets at most one second chance per call, so this ends within two sweeps.
            while (_used + cost > BudgetBytes && _clock.TryDequeue(out var victim))
            {
                if (victim.Value.TakeSecondChance())
                {
                    _clock.Enqueue(victim);
                    continue;
                }

                _entries.TryRemove(victim.Key, out _);
                _used -= Cost(victim.Key, victim.Value);
            }

            if (_used + cost > BudgetBytes)
            {
                return false;
            }

            _entries[key] = entry;
            _clock.Enqueue(new(key, entry));
            _used += cost;
            return true;
        }
    }

    private static long Cost(string key, CachedArtifact entry) => entry.Body.Length + (2L * key.Length) + EntryOverhead;
}
