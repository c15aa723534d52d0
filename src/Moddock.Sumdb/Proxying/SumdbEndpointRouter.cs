namespace Moddock.Sumdb.Proxying;

/// <summary>Dispatches /sumdb/NAME/... to the endpoint serving NAME (the public proxy and/or the private log).</summary>
internal sealed class SumdbEndpointRouter(IReadOnlyDictionary<string, ISumdbEndpoint> byName) : ISumdbEndpoint
{
    public Task<SumdbResponse> HandleAsync(string name, string rest, CancellationToken ct) =>
        byName.TryGetValue(name, out var e)
            ? e.HandleAsync(name, rest, ct)
            : Task.FromResult(SumdbResponses.Error(404, $"unknown checksum database {name}"));
}
