namespace Moddock.Sumdb.Proxying;

/// <summary>
/// Dispatches /sumdb/NAME/... to the endpoint serving NAME (the public proxy and/or the private log).
/// A name may itself hold "/tile", "/lookup", "/latest" or "/supported" (a key named x.example/tile is valid
/// for Go), which <see cref="SumdbRequestPath.TrySplit"/> cuts at; so the configured names are matched
/// against the whole path, the longest one whose remainder is a request winning.
/// </summary>
internal sealed class SumdbEndpointRouter(IReadOnlyDictionary<string, ISumdbEndpoint> byName) : ISumdbEndpoint
{
    public Task<SumdbResponse> HandleAsync(string name, string rest, CancellationToken ct)
    {
        var full = name + "/" + rest;
        var match = byName.Keys
            .Where(n => full.StartsWith(n + "/", StringComparison.Ordinal) && IsRequest(full[(n.Length + 1)..]))
            .OrderByDescending(n => n.Length)
            .FirstOrDefault();
        if (match is not null)
        {
            return byName[match].HandleAsync(match, full[(match.Length + 1)..], ct);
        }

        return byName.TryGetValue(name, out var e)
            ? e.HandleAsync(name, rest, ct)
            : Task.FromResult(SumdbResponses.Error(404, $"unknown checksum database {name}"));
    }

    private static bool IsRequest(string rest) =>
        rest is "supported" or "latest" || rest.StartsWith("lookup/", StringComparison.Ordinal) || rest.StartsWith("tile/", StringComparison.Ordinal);
}
