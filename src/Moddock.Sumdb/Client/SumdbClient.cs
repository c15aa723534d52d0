using System.Text;
using Microsoft.Extensions.Logging;
using Moddock.Sumdb.Note;
using Moddock.Sumdb.Tlog;

namespace Moddock.Sumdb.Client;

/// <summary>
/// A checksum-database client following golang.org/x/mod/sumdb.Client: a lookup is accepted only when its
/// signed tree note verifies, that tree is consistent with the latest tree this Moddock has seen (persisted
/// through <see cref="ISumdbClientOps"/>), and the record is authenticated by tiles against that tree.
/// A fork or rollback is a security error: logged loudly and the lookup fails.
/// </summary>
internal sealed class SumdbClient
{
    private readonly ISumdbClientOps _ops;
    private readonly NoteVerifier _verifier;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _latestLock = new(1, 1);
    private readonly SumdbTileReader _tiles;

    // Lookups already authenticated in this process (a proxy checks the .mod and then the .zip of a version).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, LookupResult> _verified = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<LookupResult>> _inFlight = new(StringComparer.Ordinal);
    private bool _initialized;
    private TlogTree _latest;

    private byte[] _latestMsg = [];

    public SumdbClient(NoteVerifier verifier, ISumdbClientOps ops, ILogger logger, int tileHeight = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tileHeight, 1);
        _verifier = verifier;
        _ops = ops;
        _logger = logger;
        _tiles = new SumdbTileReader(verifier.Name, tileHeight, ops);
        _latest = new TlogTree(0, new TlogHash(new byte[TlogHash.Size]));
    }

    public string Name => _verifier.Name;

    public int TileHeight => _tiles.Height;

    /// <summary>The latest verified tree (size 0 before any).</summary>
    public TlogTree Latest => _latest;

    internal ITileReader TileReader => _tiles;

    /// <summary>
    /// Looks up M@V (path and version unescaped, already validated); returns the verified go.sum lines.
    /// Concurrent lookups of one M@V share a single request (the proxy starts one as a download begins, then
    /// verifies the .mod and the .zip, and the go client asks through /sumdb/); an authenticated answer is kept.
    /// </summary>
    public async Task<LookupResult> LookupAsync(string path, string version, CancellationToken ct)
    {
        var escaped = LookupEscaping.Escape(path) + "@" + LookupEscaping.Escape(version);
        if (_verified.TryGetValue(escaped, out var known))
        {
            return known;
        }

        // Waiters continue inline when the answer is set, on the thread that authenticated it: a waiter is usually
        // a .mod check holding a client's response, and a hop through the thread pool (a queued work item, often a
        // thread to wake) sat on that critical path. The owner has nothing left but the cache write, which may wait.
        var mine = new TaskCompletionSource<LookupResult>();
        var shared = _inFlight.GetOrAdd(escaped, mine.Task);
        if (shared == mine.Task)
        {
            // This caller runs the lookup for everyone, without its own token: one waiter giving up must not fail the others.
            try
            {
                var (result, toCache) = await LookupOnceAsync(path, version, escaped, CancellationToken.None).ConfigureAwait(false);

                // Waiters (the proxy's .mod/.zip check, the go client's /sumdb/ lookup) get the authenticated answer
                // before it is written to the disk cache; this caller returns only once it is written, so a lookup
                // that returned is on disk (offline mode and a restart read it there).
                mine.SetResult(result);
                if (toCache is not null)
                {
                    await _ops.WriteCacheAsync(Name + "/lookup/" + escaped, toCache, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception e)
            {
                mine.TrySetException(e);
            }
            finally
            {
                _inFlight.TryRemove(new KeyValuePair<string, Task<LookupResult>>(escaped, mine.Task));
            }
        }

        return await shared.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The lookup, and the record data to write to the disk cache when it came from the network.</summary>
    private async Task<(LookupResult Result, byte[]? ToCache)> LookupOnceAsync(string path, string version, string escaped, CancellationToken ct)
    {
        var remotePath = "/lookup/" + escaped;
        if (_verified.TryGetValue(escaped, out var known))
        {
            return (known, null);
        }

        if (await _ops.ReadCacheAsync(Name + remotePath, ct).ConfigureAwait(false) is { } cached)
        {
            var fromCache = await AuthenticateAsync(path, version, escaped, remotePath, cached, ct).ConfigureAwait(false);
            if (fromCache.Outcome != LookupOutcome.Invalid)
            {
                return (fromCache, null);
            }

            // It authenticated before it was written, so it was damaged on disk since (cache files are renamed into
            // place without fsync; a power loss can leave one empty): fetch it again rather than fail forever.
            SumdbLog.CacheDamaged(_logger, Name, remotePath, fromCache.Reason!);
        }

        var remote = await _ops.ReadRemoteAsync(remotePath, ct).ConfigureAwait(false);
        if (!remote.Ok)
        {
            return (LookupResult.Fail(remote.Failure == RemoteFailure.NotFound ? LookupOutcome.NotFound : LookupOutcome.Unavailable,
                $"{path}@{version}: {remote.Reason}"), null);
        }

        var result = await AuthenticateAsync(path, version, escaped, remotePath, remote.Data!, ct).ConfigureAwait(false);
        return (result, result.Outcome == LookupOutcome.Found ? remote.Data : null);
    }

    // Parses a lookup answer and authenticates it: its tree note merged into the latest tree, its record proved in it.
    private async Task<LookupResult> AuthenticateAsync(string path, string version, string escaped, string remotePath, byte[] data, CancellationToken ct)
    {
        try
        {
            if (!TreeNotes.TryParseRecord(data, out var id, out var text, out var treeMsg))
            {
                return LookupResult.Fail(LookupOutcome.Invalid, $"{path}@{version}: malformed record data in checksum database response");
            }

            var merged = await MergeLatestAsync(treeMsg, ct).ConfigureAwait(false);
            if (merged is not null)
            {
                return merged with { Reason = $"{path}@{version}: {merged.Reason}" };
            }

            if (await CheckRecordAsync(id, text, ct).ConfigureAwait(false) is { } bad)
            {
                return bad with { Reason = $"{path}@{version}: {bad.Reason}" };
            }

            var zipPrefix = path + " " + version + " ";
            var modPrefix = path + " " + version + "/go.mod ";
            var lines = Encoding.UTF8.GetString(text).Split('\n')
                .Where(l => l.StartsWith(zipPrefix, StringComparison.Ordinal) || l.StartsWith(modPrefix, StringComparison.Ordinal))
                .ToList();
            var found = new LookupResult(LookupOutcome.Found, lines, data, null);
            if (_verified.Count > 10_000)
            {
                _verified.Clear();
            }

            _verified[escaped] = found;
            return found;
        }
        catch (SumdbUnavailableException e)
        {
            SumdbLog.Unavailable(_logger, Name, remotePath, e.Message);
            return LookupResult.Fail(LookupOutcome.Unavailable, $"{path}@{version}: {e.Message}");
        }
        catch (TlogException e)
        {
            return LookupResult.Fail(LookupOutcome.Invalid, $"{path}@{version}: {e.Message}");
        }
    }

    /// <summary>Fetches /latest and merges it (consistency-checked) into the latest tree. Null on success.</summary>
    public async Task<LookupResult?> RefreshLatestAsync(CancellationToken ct)
    {
        var remote = await _ops.ReadRemoteAsync("/latest", ct).ConfigureAwait(false);
        if (!remote.Ok)
        {
            return LookupResult.Fail(LookupOutcome.Unavailable, "reading latest tree: " + remote.Reason);
        }

        try
        {
            return await MergeLatestAsync(remote.Data!, ct).ConfigureAwait(false);
        }
        catch (SumdbUnavailableException e)
        {
            return LookupResult.Fail(LookupOutcome.Unavailable, e.Message);
        }
        catch (TlogException e)
        {
            return LookupResult.Fail(LookupOutcome.Invalid, e.Message);
        }
    }

    /// <summary>The latest signed tree note this client accepted (empty before any).</summary>
    public async Task<byte[]> LatestNoteAsync(CancellationToken ct)
    {
        await EnsureInitializedAsync(ct).ConfigureAwait(false);
        return _latestMsg;
    }

    private async Task EnsureInitializedAsync(CancellationToken ct)
    {
        if (_initialized)
        {
            return;
        }

        await _latestLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            byte[] stored;
            try
            {
                stored = await _ops.ReadLatestAsync(Name, ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                // Not there is a first start; there but unreadable (a link, a pipe, an I/O error) is not.
                throw new TlogException("persisted latest tree cannot be read: " + e.Message);
            }

            if (stored.Length > 0)
            {
                if (!TryOpenTree(stored, out var tree, out var why))
                {
                    // A persisted head we cannot read would silently disable rollback detection: refuse.
                    throw new TlogException("persisted latest tree is unreadable: " + why);
                }

                _latest = tree;
                _latestMsg = stored;
            }

            _initialized = true;
        }
        finally
        {
            _latestLock.Release();
        }
    }

    // Returns null when msg was merged (older, equal or newer and consistent); else the failure.
    private async Task<LookupResult?> MergeLatestAsync(byte[] msg, CancellationToken ct)
    {
        await EnsureInitializedAsync(ct).ConfigureAwait(false);
        if (msg.Length == 0 || msg.AsSpan().SequenceEqual(_latestMsg))
        {
            // Byte-identical to the note already verified and installed: nothing to check or merge.
            return null;
        }

        if (!TryOpenTree(msg, out var tree, out var why))
        {
            return LookupResult.Fail(LookupOutcome.Invalid, why!);
        }

        await _latestLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (tree.N <= _latest.N)
            {
                return await CheckTreesAsync(tree, msg, _latest, _latestMsg, ct).ConfigureAwait(false);
            }

            if (_latest.N > 0 && await CheckTreesAsync(_latest, _latestMsg, tree, msg, ct).ConfigureAwait(false) is { } fail)
            {
                return fail;
            }

            var old = _latestMsg;
            SumdbLog.TreeAdvanced(_logger, Name, _latest.N, tree.N);
            _latest = tree;
            _latestMsg = msg;
            if (!await _ops.WriteLatestAsync(Name, old, msg, ct).ConfigureAwait(false))
            {
                // Someone else (another process on the same storage) advanced it: check theirs against ours.
                var theirs = await _ops.ReadLatestAsync(Name, ct).ConfigureAwait(false);
                if (theirs.Length > 0 && TryOpenTree(theirs, out var other, out _))
                {
                    var (older, olderMsg, newer, newerMsg) = other.N <= tree.N ? (other, theirs, tree, msg) : (tree, msg, other, theirs);
                    if (await CheckTreesAsync(older, olderMsg, newer, newerMsg, ct).ConfigureAwait(false) is { } f2)
                    {
                        return f2;
                    }

                    if (other.N > tree.N)
                    {
                        _latest = other;
                        _latestMsg = theirs;
                    }
                    else
                    {
                        await _ops.WriteLatestAsync(Name, theirs, msg, ct).ConfigureAwait(false);
                    }
                }
            }

            return null;
        }
        finally
        {
            _latestLock.Release();
        }
    }

    private bool TryOpenTree(byte[] msg, out TlogTree tree, out string? why)
    {
        tree = default;
        if (!SignedNotes.TryOpen(msg, [_verifier], out var note, out var err))
        {
            why = "reading tree note: " + err!.Message;
            return false;
        }

        if (!TreeNotes.TryParseTree(note!.Text, out tree))
        {
            why = "reading tree: malformed tree note";
            return false;
        }

        why = null;
        return true;
    }

    // Recomputes older's root from newer's tiles: equal, or the database forked / rolled back.
    private async Task<LookupResult?> CheckTreesAsync(TlogTree older, byte[] olderMsg, TlogTree newer, byte[] newerMsg, CancellationToken ct)
    {
        if (older.N == 0)
        {
            return null;
        }

        var thr = new TileHashReader(newer, _tiles);
        TlogHash h;
        try
        {
            h = await TreeMath.TreeHashAsync(older.N, thr, ct).ConfigureAwait(false);
        }
        catch (TlogException e)
        {
            return LookupResult.Fail(LookupOutcome.Invalid, older.N == newer.N ? $"checking tree#{older.N}: {e.Message}" : $"checking tree#{older.N} against tree#{newer.N}: {e.Message}");
        }

        if (h == older.Hash)
        {
            return null;
        }

        var sb = new StringBuilder("SECURITY ERROR\ngo.sum database server misbehavior detected!\n\n");
        sb.Append("old database:\n\t").Append(Indent(olderMsg)).Append('\n');
        sb.Append("new database:\n\t").Append(Indent(newerMsg)).Append('\n');
        sb.Append("proof of misbehavior:\n\t").Append(h);
        try
        {
            foreach (var p in await TreeMath.ProveTreeAsync(newer.N, older.N, thr, ct).ConfigureAwait(false))
            {
                sb.Append("\n\t").Append(p);
            }
        }
        catch (Exception e) when (e is TlogException or SumdbUnavailableException)
        {
            sb.Append("\tinternal error: ").Append(e.Message);
        }

        var detail = sb.ToString();
        SumdbLog.SecurityError(_logger, Name, detail);
        _ops.SecurityError(detail);
        return LookupResult.Fail(LookupOutcome.SecurityError, "SECURITY ERROR: checksum database " + Name + " is inconsistent with the tree seen before (fork or rollback)");
    }

    private async Task<LookupResult?> CheckRecordAsync(long id, byte[] text, CancellationToken ct)
    {
        var latest = _latest;
        if (id < 0 || id >= latest.N)
        {
            return LookupResult.Fail(LookupOutcome.Invalid, $"cannot validate record {id} in tree of size {latest.N}");
        }

        var hashes = await new TileHashReader(latest, _tiles, Authenticated).ReadHashesAsync([TreeMath.StoredHashIndex(0, id)], ct).ConfigureAwait(false);
        return hashes[0] == TlogHash.Record(text) ? null : LookupResult.Fail(LookupOutcome.Invalid, "cannot authenticate record data in server response");
    }

    /// <summary>
    /// Tiles authenticated against the trees this client accepted, which each lookup's proof reuses instead of
    /// re-hashing: for proofs against those trees only.
    /// </summary>
    internal AuthenticatedTiles Authenticated { get; } = new();

    private static string Indent(byte[] b) => Encoding.UTF8.GetString(b).Replace("\n", "\n\t", StringComparison.Ordinal);
}
