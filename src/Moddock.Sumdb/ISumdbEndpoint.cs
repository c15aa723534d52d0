namespace Moddock.Sumdb;

/// <summary>Served by Moddock.Server at /sumdb/{name}/{**rest}.</summary>
public interface ISumdbEndpoint
{
    /// <summary>rest: "supported", "lookup/M@V", "tile/8/0/001", "latest".</summary>
    Task<SumdbResponse> HandleAsync(string name, string rest, CancellationToken ct);
}
