using Moddock.Sumdb.Client;
using Moddock.Sumdb.Tlog;

namespace Moddock.Sumdb.Proxying;

/// <summary>
/// Serves the configured public checksum database at /sumdb/NAME/ for go clients (GOPROXY protocol §8):
/// "supported" for NAME; "lookup/M@V" through the verifying client (so only authenticated records are
/// cached and served); hash and data tiles from cache (full tiles forever, partial ones until the full tile
/// arrives), else relayed from the database and cached once they authenticate against the latest tree; "latest"
/// after a consistency check. With the database unreachable or offline, everything cached is still served.
/// Lookups of nosumdb (--private) paths are refused: relaying them would tell the public database their names.
/// </summary>
internal sealed class SumdbProxyEndpoint(SumdbClient client, ISumdbClientOps ops, Func<string, bool>? noSumdb = null) : ISumdbEndpoint
{
    private readonly RelayedTileVerifier _relayed = new(client);

    public async Task<SumdbResponse> HandleAsync(string name, string rest, CancellationToken ct)
    {
        if (name != client.Name)
        {
            return SumdbResponses.Error(404, $"unknown checksum database {name}; this proxy serves {client.Name}");
        }

        if (rest == "supported")
        {
            return SumdbResponses.Ok([], SumdbResponses.Text, false);
        }

        try
        {
            if (rest == "latest")
            {
                return await LatestAsync(ct).ConfigureAwait(false);
            }

            if (rest.StartsWith("lookup/", StringComparison.Ordinal))
            {
                return await LookupAsync(rest, ct).ConfigureAwait(false);
            }

            if (rest.StartsWith("tile/", StringComparison.Ordinal))
            {
                return await TileAsync(rest, ct).ConfigureAwait(false);
            }
        }
        catch (TlogException e)
        {
            // The client refuses to go on without a trustworthy latest tree (e.g. its persisted copy is corrupt):
            // the database's answers cannot be checked, which the go client is told like any bad upstream answer.
            return SumdbResponses.Error(502, $"checksum database {client.Name}: {e.Message}");
        }

        return SumdbResponses.Error(404, "not found: /sumdb/" + name + "/" + rest);
    }

    private async Task<SumdbResponse> LookupAsync(string rest, CancellationToken ct)
    {
        if (!SumdbPaths.TryParseLookup(rest, out var path, out var version, out var error))
        {
            return SumdbResponses.Error(400, error!);
        }

        if (noSumdb?.Invoke(path.Value) == true)
        {
            // 403 as Athens answers for its NoSumPatterns: the go command shows this text and stops.
            return SumdbResponses.Error(403, $"{path}@{version}: private module (matches this proxy's --nosumdb/--private patterns), " +
                $"not looked up in checksum database {client.Name}; set GONOSUMDB or GOPRIVATE for it, or GOSUMDB to this proxy's private checksum database");
        }

        var r = await client.LookupAsync(path.Value, version.Value, ct).ConfigureAwait(false);
        return r.Outcome switch
        {
            LookupOutcome.Found => SumdbResponses.Ok(r.Raw!, SumdbResponses.Text, false),
            LookupOutcome.NotFound => SumdbResponses.Error(404, r.Reason!),
            LookupOutcome.Unavailable => SumdbResponses.Error(503, r.Reason!),
            _ => SumdbResponses.Error(502, r.Reason!),
        };
    }

    private async Task<SumdbResponse> TileAsync(string rest, CancellationToken ct)
    {
        if (!Tile.TryParse(rest, out var tile))
        {
            return SumdbResponses.Error(400, "invalid tile syntax");
        }

        if (tile.RecordsNeeded is null)
        {
            return SumdbResponses.Error(404, $"tile {tile.Path} lies beyond any tree");
        }

        if (tile.H != client.TileHeight)
        {
            return SumdbResponses.Error(404, $"tile height {tile.H} not served (this database uses {client.TileHeight})");
        }

        var type = tile.L < 0 ? SumdbResponses.Text : SumdbResponses.Binary;
        var key = client.Name + "/" + tile.Path;
        // Cache files are renamed into place without fsync: one cut short by a power loss is fetched again.
        if (await ops.ReadCacheAsync(key, ct).ConfigureAwait(false) is { } cached && IsWhole(tile, cached))
        {
            return SumdbResponses.Ok(cached, type, true);
        }

        if (!tile.IsFull && tile.L >= 0 && await ops.ReadCacheAsync(client.Name + "/" + tile.Full.Path, ct).ConfigureAwait(false) is { } full
            && IsWhole(tile.Full, full))
        {
            return SumdbResponses.Ok(full.AsSpan(0, tile.W * TlogHash.Size).ToArray(), type, true);
        }

        var remote = await ops.ReadRemoteAsync("/" + tile.Path, ct).ConfigureAwait(false);
        if (!remote.Ok)
        {
            return SumdbResponses.Error(remote.Failure == RemoteFailure.NotFound ? 404 : 503, remote.Reason!);
        }

        // Only tiles that authenticate are relayed and cached; hash tiles and data tiles alike.
        var verified = tile.L >= 0
            ? await _relayed.VerifyHashTileAsync(tile, remote.Data!, ct).ConfigureAwait(false)
            : await _relayed.VerifyDataTileAsync(tile, remote.Data!, ct).ConfigureAwait(false);
        if (!verified)
        {
            return SumdbResponses.Error(502, $"tile {tile.Path} from checksum database {client.Name} does not authenticate against its signed tree");
        }

        await ops.WriteCacheAsync(key, remote.Data!, ct).ConfigureAwait(false);

        return SumdbResponses.Ok(remote.Data!, type, false);
    }

    // A hash tile is W hashes; a data tile W records numbered from N << H, nothing after them.
    private static bool IsWhole(Tile tile, byte[] data)
    {
        if (tile.L >= 0)
        {
            return data.Length == tile.W * TlogHash.Size;
        }

        var rest = data;
        for (var i = 0; i < tile.W; i++)
        {
            if (!TreeNotes.TryParseRecord(rest, out var id, out _, out rest) || id != (tile.N << tile.H) + i)
            {
                return false;
            }
        }

        return rest.Length == 0;
    }

    private async Task<SumdbResponse> LatestAsync(CancellationToken ct)
    {
        var fail = await client.RefreshLatestAsync(ct).ConfigureAwait(false);
        var note = await client.LatestNoteAsync(ct).ConfigureAwait(false);
        if (fail is not null && fail.Outcome != LookupOutcome.Unavailable)
        {
            return SumdbResponses.Error(502, fail.Reason!);
        }

        return note.Length > 0
            ? SumdbResponses.Ok(note, SumdbResponses.Text, fail is not null)
            : SumdbResponses.Error(503, fail?.Reason ?? "no tree known yet");
    }
}
