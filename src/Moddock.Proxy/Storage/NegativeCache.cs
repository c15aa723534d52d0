using System.Collections.Concurrent;

namespace Moddock.Proxy.Storage;

/// <summary>
/// Recent not-found answers, kept in memory for a short TTL so that the go command's prefix probes
/// (<c>example.com/@v/list</c>) and repeated misses do not reach the upstreams each time.
/// </summary>
internal sealed class NegativeCache(TimeSpan ttl, TimeProvider time, int capacity = 100_000)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string key, out ResolveOutcome outcome, out string reason)
    {
        outcome = default;
        reason = "";
        if (!_entries.TryGetValue(key, out var e))
        {
            return false;
        }

        if (time.GetUtcNow() - e.At >= ttl)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, e));
            return false;
        }

        (outcome, reason) = (e.Outcome, e.Reason);
        return true;
    }

    public void Add(string key, ResolveOutcome outcome, string reason)
    {
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        if (_entries.Count >= capacity)
        {
            // Bounded memory: dropping everything only costs a few extra upstream lookups.
            _entries.Clear();
        }

        _entries[key] = new Entry(outcome, reason, time.GetUtcNow());
    }

    private sealed record Entry(ResolveOutcome Outcome, string Reason, DateTimeOffset At);
}
