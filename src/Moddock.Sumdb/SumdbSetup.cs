using Microsoft.Extensions.Logging;
using Moddock.Sumdb.Client;
using Moddock.Sumdb.PrivateLog;
using Moddock.Sumdb.Proxying;

namespace Moddock.Sumdb;

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
            SweepAbandonedTemps(ops);
            var client = new SumdbClient(setting.Verifier, ops, logger, options.TileHeight);
            verifier = new ChecksumVerifier(client, options.NoSumdb, logger);
            endpoints[client.Name] = new SumdbProxyEndpoint(client, ops, options.NoSumdb);
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

    // A process killed mid-write leaves a temp file; one started right after it sees that temp as young (it could be
    // a live process's on shared storage), so it looks again once such a temp would have aged. In the background:
    // the cache holds a file per lookup, and start-up should not wait for the walk.
    private static void SweepAbandonedTemps(HttpFileClientOps ops)
    {
        var age = TimeSpan.FromMinutes(10);
        _ = Task.Run(async () =>
        {
            ops.RemoveAbandonedTemps(DateTime.UtcNow - age);
            await Task.Delay(age + TimeSpan.FromMinutes(1)).ConfigureAwait(false);
            ops.RemoveAbandonedTemps(DateTime.UtcNow - age);
        });
    }

    /// <summary>Validates a --sumdb value without building anything (for option parsing).</summary>
    public static bool TryValidateGoSumdb(string value, out string? error) => GoSumdbSetting.TryParse(value, out _, out error);
}
