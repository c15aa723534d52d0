using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Moddock.Modules;
using Moddock.Proxy.Storage;

namespace Moddock.Proxy.Resolution;

/// <summary>
/// Step 1 of <see cref="ModuleResolver.ResolveAsync"/>: what the store holds for a target. A list is derived
/// from the stored upstream answer plus stored versions; offline, a missing list/@latest is derived from the
/// stored versions alone. A stored .info/.mod/.zip is checked (<see cref="StoredArtifactCheck"/>) the first time
/// it is read; a damaged one is discarded and reads as absent, so it is fetched again.
/// </summary>
internal sealed partial class StoreReader(IModuleStore store, bool offline, ILogger logger)
{
    // Immutable artifacts already checked, with the length and time they had then (bounded like the negative cache).
    private const int CheckedCapacity = 100_000;
    private readonly ConcurrentDictionary<StoreKey, (long Length, DateTimeOffset SavedAt)> _checked = new();
    private readonly SingleFlight<StoreKey, bool> _checking = new();

    public async Task<CachedAnswer?> ReadAsync(StoreKey key, CancellationToken ct)
    {
        switch (key.Kind)
        {
            case ArtifactKind.List:
                return await ReadListAsync(key, ct).ConfigureAwait(false);
            case ArtifactKind.Latest:
                return await ReadLatestAsync(key, ct).ConfigureAwait(false);
            default:
                var stored = await store.TryGetAsync(key, ct).ConfigureAwait(false);
                return stored is null || !await IsSoundAsync(key, stored, ct).ConfigureAwait(false)
                    ? null
                    : new CachedAnswer(ArtifactFetcher.Content(stored, ContentTypes.For(key.Kind)), stored.SavedAt, Immutable: true);
        }
    }

    private async Task<bool> IsSoundAsync(StoreKey key, StoredArtifact stored, CancellationToken ct)
    {
        if (_checked.TryGetValue(key, out var seen) && seen == (stored.Length, stored.SavedAt))
        {
            return true;
        }

        // One check per artifact at a time: after a restart, many requests for one big zip would otherwise each read
        // and hash all of it. A flight runs without any caller's token, so one client leaving does not fail the others.
        return await _checking.RunAsync(key, () => CheckAsync(key, stored), ct).ConfigureAwait(false);
    }

    private async Task<bool> CheckAsync(StoreKey key, StoredArtifact stored)
    {
        string? problem;
        try
        {
            problem = await StoredArtifactCheck.ProblemAsync(key, stored, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = "it cannot be read: " + e.Message;
        }

        if (problem is null)
        {
            NoteSound(key, stored);
            return true;
        }

        Log.DamagedArtifact(logger, key.ToString(), stored.FilePath ?? "(store)", problem);
        _checked.TryRemove(key, out _);
        await store.DiscardAsync(key, CancellationToken.None).ConfigureAwait(false);
        return false;
    }

    /// <summary>Remembers a stored artifact as checked and sound, as it was then (length and time).</summary>
    private void NoteSound(StoreKey key, StoredArtifact stored)
    {
        if (_checked.Count >= CheckedCapacity)
        {
            // Forget a quarter, not all: clearing would make every zip in use be read whole again at once.
            foreach (var old in _checked.Keys.Take(CheckedCapacity / 4))
            {
                _checked.TryRemove(old, out _);
            }
        }

        _checked[key] = (stored.Length, stored.SavedAt);
    }

    private async Task<CachedAnswer?> ReadListAsync(StoreKey key, CancellationToken ct)
    {
        var list = await store.TryGetAsync(key, ct).ConfigureAwait(false);
        var listBytes = list is null ? null : await TryReadAllAsync(key, list, ct).ConfigureAwait(false);
        if (listBytes is null)
        {
            list = null;
        }

        var versions = await store.ListVersionsAsync(key.Path, ct).ConfigureAwait(false);
        if (list is null && (!offline || versions.Count == 0))
        {
            return null;
        }

        IReadOnlyList<string> lines = [];
        if (listBytes is not null)
        {
            lines = VersionList.ParseLines(listBytes);
        }

        var content = ArtifactContent.FromBytes(VersionList.Derive(lines, versions), ContentTypes.Text, list?.SavedAt);
        return new CachedAnswer(content, list?.SavedAt ?? DateTimeOffset.MinValue, Immutable: false);
    }

    private async Task<CachedAnswer?> ReadLatestAsync(StoreKey key, CancellationToken ct)
    {
        var latest = await store.TryGetAsync(key, ct).ConfigureAwait(false);
        if (latest is not null)
        {
            // Read now, not served as the file: @latest is replaced in place when refreshed (by this process or
            // another on the same root), and a file opened after that would not match the length taken here.
            if (await TryReadAllAsync(key, latest, ct).ConfigureAwait(false) is { } bytes)
            {
                if (LatestProblem(bytes) is not { } problem)
                {
                    return new CachedAnswer(ArtifactContent.FromBytes(bytes, ContentTypes.Json, latest.SavedAt), latest.SavedAt, Immutable: false);
                }

                // Served while fresh (and stale when every upstream is down), damage here would reach clients for a while.
                Log.DamagedArtifact(logger, key.ToString(), latest.FilePath ?? "(store)", problem);
                await store.DiscardAsync(key, ct).ConfigureAwait(false);
            }
        }

        if (!offline)
        {
            return null;
        }

        // Offline and never asked upstream for @latest: the highest stored version, releases first (like "latest").
        var versions = await store.ListVersionsAsync(key.Path, ct).ConfigureAwait(false);
        var best = versions
            .OrderBy(v => v.IsPseudo ? 0 : v.IsPrerelease ? 1 : 2)
            .ThenBy(v => v, Comparer<ModuleVersion>.Create(Semver.CompareValues))
            .LastOrDefault();
        if (versions.Count == 0)
        {
            return null;
        }

        return await ReadVersionInfoAsync(key.Path, best, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Offline, a query the stored versions can answer: a v2+ version on a path without a major suffix stored as
    /// +incompatible, or a semver prefix (<c>v1</c>, <c>v1.2</c>) by its highest stored release, else its highest
    /// pre-release (pseudo-versions never match a prefix, as in cmd/go's queries). A branch or commit needs the
    /// source: null.
    /// </summary>
    public async Task<CachedAnswer?> ReadOfflineQueryAsync(ModulePath path, string query, CancellationToken ct)
    {
        var versions = await store.ListVersionsAsync(path, ct).ConfigureAwait(false);
        var best = versions.Where(v => v.Value == query + "+incompatible").Cast<ModuleVersion?>().FirstOrDefault();
        if (best is null && Semver.IsValid(query) && Semver.Canonical(query) != query)
        {
            var prefix = query + ".";
            best = versions
                .Where(v => !v.IsPseudo && v.Value.StartsWith(prefix, StringComparison.Ordinal))
                .OrderBy(v => v.IsPrerelease ? 0 : 1)
                .ThenBy(v => v, Comparer<ModuleVersion>.Create(Semver.CompareValues))
                .Cast<ModuleVersion?>()
                .LastOrDefault();
        }

        return best is { } version ? await ReadVersionInfoAsync(path, version, ct).ConfigureAwait(false) : null;
    }

    // A stored version's .info as the answer to a question about another key (offline @latest or a query): never fresh.
    private async Task<CachedAnswer?> ReadVersionInfoAsync(ModulePath path, ModuleVersion version, CancellationToken ct)
    {
        var infoKey = StoreKey.ForVersion(path, ArtifactKind.Info, version);
        var info = await store.TryGetAsync(infoKey, ct).ConfigureAwait(false);
        return info is null || !await IsSoundAsync(infoKey, info, ct).ConfigureAwait(false)
            ? null
            : new CachedAnswer(ArtifactFetcher.Content(info, ContentTypes.Json), DateTimeOffset.MinValue, Immutable: false);
    }

    /// <summary>What is wrong with a stored @latest, or null: it must be a .info naming a canonical version, as fetched.</summary>
    private static string? LatestProblem(byte[] bytes) =>
        !Sources.VersionInfoJson.TryParse(bytes, out var info, out var error) ? $"it is not a version's .info: {error}"
        : !ModuleVersion.TryParse(info!.Version, out _, out _) ? $"it names {info.Version}, not a canonical version"
        : null;

    /// <summary>
    /// <see cref="StoredArtifactCheck.ReadAllAsync"/>, or null with a warning when the file cannot be read (permissions changed by hand, an
    /// I/O error): a miss, fetched again and replaced by rename, rather than an exception that fails the request.
    /// </summary>
    private async Task<byte[]?> TryReadAllAsync(StoreKey key, StoredArtifact stored, CancellationToken ct)
    {
        try
        {
            return await StoredArtifactCheck.ReadAllAsync(stored, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.DamagedArtifact(logger, key.ToString(), stored.FilePath ?? "(store)", "it cannot be read: " + e.Message);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "stored {Artifact} is damaged and is fetched again: {File}: {Problem}")]
        public static partial void DamagedArtifact(ILogger logger, string artifact, string file, string problem);
    }
}
