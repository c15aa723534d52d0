using Microsoft.Extensions.Logging;
using Moddock.Sumdb.Client;
using Moddock.Sumdb.PrivateLog;
using Moddock.Sumdb.Proxying;

namespace Moddock.Sumdb;

/// <summary>The checksum-database parts built from <see cref="SumdbOptions"/>.</summary>
/// <param name="Verifier">
/// The one to hand the proxy (with its own skip predicate set to never): public paths are checked against
/// the public database, --nosumdb paths are logged/checked in the private log (or skipped without one).
/// </param>
/// <param name="PublicVerifier">Verifies public modules before they are cached; null when --sumdb off.</param>
/// <param name="PrivateLog">Logs and verifies private modules; null without --private-sumdb-key.</param>
/// <param name="Endpoint">Serves /sumdb/{name}/{**rest} for the public database and the private log.</param>
/// <param name="DatabaseName">The public database's name (e.g. sum.golang.org), or null when off.</param>
public sealed record SumdbComponents(IChecksumVerifier Verifier, IChecksumVerifier? PublicVerifier, PrivateChecksumLog? PrivateLog, ISumdbEndpoint Endpoint, string? DatabaseName);

/// <summary>Composition root for Moddock.Sumdb: the only place its internal types are wired.</summary>
public static class SumdbSetup
{
    /// <summary>Builds the parts, or returns an error text for invalid configuration (exit code 2).</summary>
    public static async Task<(SumdbComponents? Components, string? Error)> CreateAsync(SumdbOptions options, HttpClient http, ILoggerFactory loggers, CancellationToken ct)
    {
        if (!GoSumdbSetting.TryParse(options.GoSumdb, out var setting, out var error))
        {
            return (null, "--sumdb: " + error);
        }

        var endpoints = new Dictionary<string, ISumdbEndpoint>(StringComparer.Ordinal);
        IChecksumVerifier? verifier = null;
        if (!setting!.Off)
        {
            var logger = loggers.CreateLogger("Moddock.Sumdb");
            var ops = new HttpFileClientOps(http, setting.BaseUrl, Path.Combine(options.StorageDir, "sumdb"),
                new SumdbLimits(options.MaxResponseBytes, options.RequestTimeout), options.Offline, logger);
            var client = new SumdbClient(setting.Verifier, ops, logger, options.TileHeight);
            verifier = new ChecksumVerifier(client, options.NoSumdb, logger);
            endpoints[client.Name] = new SumdbProxyEndpoint(client, ops);
        }

        PrivateChecksumLog? log = null;
        if (options.PrivateSumdbKeyFile is { } keyFile)
        {
            (log, var logError) = await PrivateChecksumLog.OpenAsync(keyFile, options.StorageDir, loggers.CreateLogger("Moddock.Sumdb.PrivateLog"), ct, options.TileHeight).ConfigureAwait(false);
            if (log is null)
            {
                return (null, logError);
            }

            if (!endpoints.TryAdd(log.Name, log))
            {
                return (null, $"--private-sumdb-key: the private log cannot be named {log.Name}, the public database's name");
            }
        }

        var routing = new RoutingChecksumVerifier(verifier, log, options.NoSumdb);
        return (new SumdbComponents(routing, verifier, log, new SumdbEndpointRouter(endpoints), setting.Off ? null : setting.Name), null);
    }

    /// <summary>Validates a --sumdb value without building anything (for option parsing).</summary>
    public static bool TryValidateGoSumdb(string value, out string? error) => GoSumdbSetting.TryParse(value, out _, out error);
}
