using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Moddock.Proxy;
using Moddock.Proxy.Resolution;

namespace Moddock.Server.Caching;

/// <summary>
/// A byte-budgeted in-memory copy of immutable artifacts (.info/.mod/.zip of canonical versions) that
/// the store already holds, keyed by the raw request target. The store never changes such a file once
/// committed, and parsing a target is a pure function, so a target that once resolved to a stored
/// immutable file names the same bytes forever: a hit can skip routing, the resolver and the disk.
/// Lookups are lock-free; inserts and evictions take a lock and use the clock (second-chance)
/// algorithm: an entry read since the hand last passed survives one more round.
/// Zips are held as open handles on their stored files rather than as bytes (the hot path sends
/// them with sendfile(2)): they cost the budget only their overhead, and at most
/// <see cref="MaxFileEntries"/> are open at once. An evicted entry is disposed, which closes its
/// handle once the last response using it is done (<see cref="CachedArtifact.TryAcquire"/>).
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
    private int _files;

    /// <param name="budgetBytes">Total bytes the cache may hold, overhead included; 0 disables it.</param>
    /// <param name="maxFileEntries">Most file-backed entries (open descriptors) held at once.</param>
    public MemoryArtifactCache(long budgetBytes, int maxFileEntries = DefaultMaxFileEntries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budgetBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(maxFileEntries);
        BudgetBytes = budgetBytes;
        MaxEntryBytes = budgetBytes / MaxEntryShare;
        MaxFileEntries = budgetBytes == 0 ? 0 : maxFileEntries;
    }

    /// <summary>Far below any descriptor limit .NET runs with (it raises the soft limit to the hard one).</summary>
    internal const int DefaultMaxFileEntries = 512;

    public int MaxFileEntries { get; }

    public int FileCount => Volatile.Read(ref _files);

    public long BudgetBytes { get; }

    /// <summary>Largest body admitted: 1/16 of the budget (4 MiB at the 64 MiB default).</summary>
    public long MaxEntryBytes { get; }

    public long UsedBytes => Volatile.Read(ref _used);

    public int Count => _entries.Count;

    /// <summary>Whether a body of this length would be admitted at all.</summary>
    public bool Admits(long length) => length >= 0 && length <= MaxEntryBytes;

    /// <summary>Whether an entry is held for the key, without counting it as a request.</summary>
    public bool Contains(string key) => _entries.ContainsKey(key);

    /// <summary>The entry held for the key, without counting it as a request (not marked used).</summary>
    public bool TryPeek(string key, [NotNullWhen(true)] out CachedArtifact? entry) => _entries.TryGetValue(key, out entry);

    /// <summary>The entry for a request: marks it used (<see cref="CachedArtifact.Touch"/>).</summary>
    public bool TryGet(string key, [NotNullWhen(true)] out CachedArtifact? entry)
    {
        if (_entries.TryGetValue(key, out entry))
        {
            entry.Touch();
            return true;
        }

        return false;
    }

    /// <summary>
    /// The cache key of a raw request target: the target without its query, which names nothing
    /// here ("?x=1", "?x=2"… must not each take a copy). The endpoint and the hot path both use it.
    /// </summary>
    public static string KeyFor(string rawTarget)
    {
        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? rawTarget : rawTarget[..query];

        // module.EscapePath writes an upper-case letter as "!x", and the go command's net/url sends that "!" as
        // "%21" (go 1.19: GET /github.com/%21azure/...). The endpoint decodes both spellings to the same request,
        // so they share one entry: the one stored under the "!" spelling (StoredArtifactAdmission) serves both.
        return path.Contains("%21", StringComparison.Ordinal) ? path.Replace("%21", "!", StringComparison.Ordinal) : path;
    }

    /// <summary>
    /// Adds an entry, evicting others until it fits; false when it is too large or already there,
    /// in which case the caller still owns it (and disposes it when done).
    /// </summary>
    /// <summary>
    /// An entry for a stored, complete .info/.mod/.zip that this cache would admit: a zip as an open handle on
    /// its file, an .info or .mod as its bytes. Null when it would not be admitted (too large, or file entries
    /// off), or when the file is gone, unreadable or no longer <paramref name="length"/> bytes long. Not added:
    /// the caller picks the key (<see cref="TryAdd"/>).
    /// </summary>
    public CachedArtifact? TryLoad(string file, long length, ArtifactKind kind, DateTimeOffset? lastModified, string module, string version, string kindName)
    {
        if (kind == ArtifactKind.Zip ? MaxFileEntries == 0 : !Admits(length))
        {
            return null;
        }

        var contentType = ContentTypes.For(kind);
        try
        {
            if (kind == ArtifactKind.Zip)
            {
                return CachedArtifact.OpenFile(file, length, contentType, lastModified, module, version, kindName);
            }

            var bytes = File.ReadAllBytes(file);
            return bytes.Length == length ? new CachedArtifact(bytes, contentType, lastModified, module, version, kindName) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not cacheable now (removed, or its permissions changed): requests read the store as usual.
            return null;
        }
    }

    public bool TryAdd(string key, CachedArtifact entry)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entry);
        var isFile = entry.File is not null;
        if (isFile ? MaxFileEntries == 0 : !Admits(entry.MemoryBytes))
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

            // Each entry gets at most one second chance per call, so this ends within two sweeps; when only
            // the open-file cap is in the way, in-memory entries are passed over (a build asks for the .mod
            // of hundreds of modules and the zips of a few: a zip must not push those out).
            for (var turns = 2 * _clock.Count; (_used + cost > BudgetBytes || (isFile && _files >= MaxFileEntries)) && turns >= 0 && _clock.TryDequeue(out var victim); turns--)
            {
                var onlyFileCap = _used + cost <= BudgetBytes;
                if ((onlyFileCap && victim.Value.File is null) || victim.Value.TakeSecondChance())
                {
                    _clock.Enqueue(victim);
                    continue;
                }

                _entries.TryRemove(victim.Key, out _);
                _used -= Cost(victim.Key, victim.Value);
                if (victim.Value.File is not null)
                {
                    _files--;
                }

                victim.Value.Dispose();
            }

            if (_used + cost > BudgetBytes || (isFile && _files >= MaxFileEntries))
            {
                return false;
            }

            _entries[key] = entry;
            _clock.Enqueue(new(key, entry));
            _used += cost;
            if (isFile)
            {
                _files++;
            }

            return true;
        }
    }

    /// <summary>
    /// Drops <paramref name="entry"/> if it is still the one held for <paramref name="key"/> (a later entry for
    /// the key is left alone) and disposes it; its handle closes once the last sender returns its lease. For an
    /// entry found unfit to answer (<see cref="CachedArtifact.IsWhole"/>): the next request for the key then
    /// reaches the resolver, which checks the stored file and fetches it again when it is damaged.
    /// </summary>
    public bool TryRemove(string key, CachedArtifact entry)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            if (!_entries.TryRemove(new KeyValuePair<string, CachedArtifact>(key, entry)))
            {
                return false;
            }

            // Rare (damage on disk), so the clock is rebuilt rather than taught to skip removed entries.
            var keep = _clock.Where(e => !ReferenceEquals(e.Value, entry)).ToArray();
            _clock.Clear();
            foreach (var e in keep)
            {
                _clock.Enqueue(e);
            }

            _used -= Cost(key, entry);
            if (entry.File is not null)
            {
                _files--;
            }
        }

        entry.Dispose();
        return true;
    }

    private static long Cost(string key, CachedArtifact entry) => entry.MemoryBytes + (2L * key.Length) + EntryOverhead;
}
