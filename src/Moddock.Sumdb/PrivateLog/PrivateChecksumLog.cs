using System.Text;
using Microsoft.Extensions.Logging;
using Moddock.Modules;
using Moddock.Sumdb.Client;
using Moddock.Sumdb.Note;
using Moddock.Sumdb.Proxying;
using Moddock.Sumdb.Tlog;

namespace Moddock.Sumdb.PrivateLog;

/// <summary>
/// Moddock's own checksum database for private modules: an append-only transparency log of
/// "M V h1:…\nM V/go.mod h1:…\n" records, persisted under the storage directory, with signed tree heads.
/// It verifies (and on first sight logs) every private version served, and is served at /sumdb/NAME/ in the
/// protocol of sum.golang.org so the go command can check it with GOSUMDB="VERIFIER-KEY URL".
/// A version once logged never changes hash: a different hash later is a security error. Moddock processes
/// sharing one storage directory share the log: each reads what the others appended before it answers or appends.
/// </summary>
public sealed class PrivateChecksumLog : IChecksumVerifier, ISumdbEndpoint
{
    private readonly NoteSigner _signer;
    private readonly PrivateLogStore _store;
    private readonly ILogger _logger;
    private readonly int _tileHeight;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, long> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? Zip, string? Mod)> _pending = new(StringComparer.Ordinal);
    private (long Size, byte[] Note) _signed = (-1, []);
    private long _indexed;

    private PrivateChecksumLog(NoteSigner signer, PrivateLogStore store, ILogger logger, int tileHeight)
    {
        _signer = signer;
        _store = store;
        _logger = logger;
        _tileHeight = tileHeight;
        IndexNewRecords();
    }

    /// <summary>The database name (from the signer key): served at /sumdb/NAME/.</summary>
    public string Name => _signer.Name;

    /// <summary>The verifier key clients put in GOSUMDB.</summary>
    public string VerifierKey => _signer.VerifierKey;

    /// <summary>
    /// Called on a lookup of a version not logged yet (the go command looks up before it downloads):
    /// fetch the version and return its (zip h1, go.mod h1), or null when it does not exist.
    /// </summary>
    public Func<ModulePath, ModuleVersion, CancellationToken, Task<(string ZipH1, string ModH1)?>>? FetchHook { get; set; }

    /// <summary>Opens (or creates) the log of the signer key in the first line of <paramref name="keyFile"/>.</summary>
    public static async Task<(PrivateChecksumLog? Log, string? Error)> OpenAsync(string keyFile, string storageDir, ILogger logger, CancellationToken ct, int tileHeight = 8)
    {
        string firstLine;
        try
        {
            firstLine = (await File.ReadAllLinesAsync(keyFile, ct).ConfigureAwait(false)).FirstOrDefault()?.Trim() ?? "";
        }
        catch (IOException e)
        {
            return (null, $"--private-sumdb-key {keyFile}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            return (null, $"--private-sumdb-key {keyFile}: {e.Message}");
        }

        if (!NoteKeys.TryParseSigner(firstLine, out var signer, out var err))
        {
            return (null, $"--private-sumdb-key {keyFile}: first line is not a signer key ({err}); make one with 'moddock sumdb keygen NAME'");
        }

        if (!SafeCachePath.TryResolve(storageDir, "sumdb-private/" + signer!.Name, out var dir))
        {
            return (null, $"--private-sumdb-key: key name {signer.Name} cannot name a directory");
        }

        try
        {
            var store = await PrivateLogStore.OpenAsync(dir, ct).ConfigureAwait(false);
            return (new PrivateChecksumLog(signer, store, logger, tileHeight), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"--private-sumdb-key: cannot open the private log in {dir}: {e.Message}");
        }
    }

    /// <summary>Number of records logged.</summary>
    public long Size => _store.Count;

    /// <summary>
    /// Logs M@V with its hashes on first sight (Verified); afterwards compares with what was logged
    /// (Verified, or Mismatch: a moved tag). With one hash missing and nothing logged yet, that hash is held
    /// (Skipped) until the other one comes, then both are logged.
    /// </summary>
    public async Task<VerifyResult> VerifyAsync(ModulePath path, ModuleVersion version, string? zipH1, string? modH1, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var appending = await _store.LockAsync(ct).ConfigureAwait(false);
            await ReadAppendedLockedAsync(cutTornTail: true, ct).ConfigureAwait(false);
            if (_index.TryGetValue(path.Value + "@" + version.Value, out var id))
            {
                var lines = Encoding.UTF8.GetString(_store.Records[(int)id]).Split('\n');
                var zipWant = lines[0][(path.Value.Length + version.Value.Length + 2)..];
                var modWant = lines[1][(path.Value.Length + version.Value.Length + "/go.mod".Length + 2)..];
                if (zipH1 is not null && zipH1 != zipWant)
                {
                    return Conflict(path, version.Value, zipWant, zipH1);
                }

                if (modH1 is not null && modH1 != modWant)
                {
                    return Conflict(path, version + "/go.mod", modWant, modH1);
                }

                return new VerifyResult(VerifyOutcome.Verified, zipH1 is null ? modWant : zipWant, zipH1 ?? modH1, null);
            }

            // A proxy checks the go.mod and the zip one at a time: hold the first hash until the second arrives.
            var key = path.Value + "@" + version.Value;
            if (_pending.TryGetValue(key, out var half))
            {
                zipH1 ??= half.Zip;
                modH1 ??= half.Mod;
            }

            if (zipH1 is null || modH1 is null)
            {
                _pending[key] = (zipH1, modH1);
                return new VerifyResult(VerifyOutcome.Skipped, null, zipH1 ?? modH1, $"{path}@{version}: logged in private checksum database {Name} once both go.mod and zip are seen");
            }

            _pending.Remove(key);

            if (!IsHash(zipH1) || !IsHash(modH1))
            {
                return new VerifyResult(VerifyOutcome.Unavailable, null, null, $"{path}@{version}: malformed hash");
            }

            var record = Encoding.UTF8.GetBytes($"{path} {version} {zipH1}\n{path} {version}/go.mod {modH1}\n");
            var newId = await _store.AppendAsync(record, ct).ConfigureAwait(false);
            IndexNewRecords();
            SumdbLog.PrivateLogged(_logger, Name, path.Value, version.Value, newId);
            return new VerifyResult(VerifyOutcome.Verified, zipH1, zipH1, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new VerifyResult(VerifyOutcome.Unavailable, null, null, $"{path}@{version}: private checksum database {Name}: {e.Message}");
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<SumdbResponse> HandleAsync(string name, string rest, CancellationToken ct)
    {
        if (name != Name)
        {
            return SumdbResponses.Error(404, $"unknown checksum database {name}");
        }

        switch (rest)
        {
            case "supported":
                return SumdbResponses.Ok([], SumdbResponses.Text, false);
            case "latest":
                return SumdbResponses.Ok(await SignedTreeAsync(ct).ConfigureAwait(false), SumdbResponses.Text, false);
        }

        if (rest.StartsWith("lookup/", StringComparison.Ordinal))
        {
            return await LookupAsync(rest, ct).ConfigureAwait(false);
        }

        if (rest.StartsWith("tile/", StringComparison.Ordinal))
        {
            return await TileAsync(rest, ct).ConfigureAwait(false);
        }

        return SumdbResponses.Error(404, "not found: /sumdb/" + name + "/" + rest);
    }

    private async Task<SumdbResponse> LookupAsync(string rest, CancellationToken ct)
    {
        if (!SumdbPaths.TryParseLookup(rest, out var path, out var version, out var error))
        {
            return SumdbResponses.Error(400, error!);
        }

        var key = path.Value + "@" + version.Value;
        bool known;
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await ReadAppendedLockedAsync(cutTornTail: false, ct).ConfigureAwait(false);
            known = _index.ContainsKey(key);
        }
        finally
        {
            _lock.Release();
        }

        if (!known)
        {
            (string ZipH1, string ModH1)? fetched;
            try
            {
                fetched = FetchHook is null ? null : await FetchHook(path, version, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The hook fetches from version control: its failures are the upstream's, not a malformed
                // request, so the client gets a 502 with the reason rather than a bare 500.
                return SumdbResponses.Error(502, $"{key}: cannot fetch it to log it in private checksum database {Name}: {e.Message}");
            }

            if (fetched is not { } hashes)
            {
                return SumdbResponses.Error(404, $"{key}: not found in private checksum database {Name}");
            }

            var logged = await VerifyAsync(path, version, hashes.ZipH1, hashes.ModH1, ct).ConfigureAwait(false);
            if (logged.Outcome != VerifyOutcome.Verified)
            {
                return SumdbResponses.Error(logged.Outcome == VerifyOutcome.Mismatch ? 403 : 404, logged.Reason ?? "not logged");
            }
        }

        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var id = _index[key];
            var body = TreeNotes.FormatRecord(id, _store.Records[(int)id]);
            var note = await SignedTreeLockedAsync(ct).ConfigureAwait(false);
            return SumdbResponses.Ok([.. body, .. note], SumdbResponses.Text, false);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<SumdbResponse> TileAsync(string rest, CancellationToken ct)
    {
        if (!Tile.TryParse(rest, out var tile))
        {
            return SumdbResponses.Error(400, "invalid tile syntax");
        }

        if (tile.H != _tileHeight)
        {
            return SumdbResponses.Error(404, $"tile height {tile.H} not served (this log uses {_tileHeight})");
        }

        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await ReadAppendedLockedAsync(cutTornTail: false, ct).ConfigureAwait(false);
            var size = _store.Count;
            if (tile.RecordsNeeded is not { } needed || needed > size)
            {
                return SumdbResponses.Error(404, $"tile {tile.Path} is beyond the log (size {size})");
            }

            if (tile.L < 0)
            {
                var start = tile.N << tile.H;
                var sb = new List<byte>();
                for (var i = 0; i < tile.W; i++)
                {
                    sb.AddRange(TreeNotes.FormatRecord(start + i, _store.Records[(int)(start + i)]));
                }

                return SumdbResponses.Ok([.. sb], SumdbResponses.Text, false);
            }

            return SumdbResponses.Ok(await TileData.ReadAsync(tile, _store, ct).ConfigureAwait(false), SumdbResponses.Binary, false);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<byte[]> SignedTreeAsync(CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await ReadAppendedLockedAsync(cutTornTail: false, ct).ConfigureAwait(false);
            return await SignedTreeLockedAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<byte[]> SignedTreeLockedAsync(CancellationToken ct)
    {
        var size = _store.Count;
        if (_signed.Size != size)
        {
            var root = await TreeMath.TreeHashAsync(size, _store, ct).ConfigureAwait(false);
            _signed = (size, SignedNotes.Sign(TreeNotes.FormatTree(new TlogTree(size, root)), _signer));
        }

        return _signed.Note;
    }

    // Picks up records other processes sharing the storage appended. Under _lock. When the file cannot be read
    // now, readers answer from the records held (a prefix of the log, so still a consistent tree); appends fail.
    private async Task ReadAppendedLockedAsync(bool cutTornTail, CancellationToken ct)
    {
        try
        {
            if (await _store.ReadAppendedAsync(cutTornTail, ct).ConfigureAwait(false) > 0)
            {
                IndexNewRecords();
            }
        }
        catch (Exception e) when (!cutTornTail && e is IOException or UnauthorizedAccessException)
        {
            SumdbLog.Unavailable(_logger, Name, "records.log", e.Message);
        }
    }

    // The first record of a version is the one that counts (a log written before processes shared it may repeat one).
    private void IndexNewRecords()
    {
        for (; _indexed < _store.Count; _indexed++)
        {
            _index.TryAdd(KeyOf(_store.Records[(int)_indexed]), _indexed);
        }
    }

    private VerifyResult Conflict(ModulePath path, string version, string logged, string actual)
    {
        SumdbLog.PrivateConflict(_logger, Name, path.Value, version, logged, actual);
        return new VerifyResult(VerifyOutcome.Mismatch, logged, actual,
            $"verifying {path}@{version}: checksum mismatch\n\tdownloaded: {actual}\n\t{Name}: {logged}\n\nSECURITY ERROR\n" +
            "This version was logged with a different hash: its tag was moved or its content changed. Refused.");
    }

    private static bool IsHash(string h) => h.StartsWith("h1:", StringComparison.Ordinal) && !h.Any(c => c <= ' ' || c > '~');

    // "M V h1:..." → "M@V"
    private static string KeyOf(byte[] record)
    {
        var first = Encoding.UTF8.GetString(record).Split('\n')[0].Split(' ');
        return first[0] + "@" + first[1];
    }
}
