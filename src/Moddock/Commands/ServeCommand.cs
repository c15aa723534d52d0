using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Moddock.Server.Configuration;
using Moddock.Server.Hosting;
using Moddock.Sumdb;

namespace Moddock.Commands;

/// <summary>
/// `moddock serve`: a caching GOPROXY server. Settings come from flags, then MODDOCK_* environment
/// variables, then the --config YAML file, then the defaults; every problem is reported at once
/// and the exit code is 2.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = $"HOST:PORT to listen on (env MODDOCK_LISTEN, default {ServeDefaults.Listen})" };
        var storage = new Option<string>("--storage") { Description = "cache directory (env MODDOCK_STORAGE, default ~/.cache/moddock)" };
        var upstream = new Option<string>("--upstream") { Description = $"upstream proxies in GOPROXY syntax (env MODDOCK_UPSTREAM, default {ServeDefaults.Upstream})" };
        var privatePatterns = new Option<string>("--private") { Description = "GOPRIVATE-style patterns never asked of an upstream proxy (env MODDOCK_PRIVATE)" };
        var insecure = new Option<string>("--insecure") { Description = "GOINSECURE-style patterns (env MODDOCK_INSECURE)" };
        var sumdb = new Option<string>("--sumdb") { Description = $"checksum database in GOSUMDB syntax, or off (env MODDOCK_SUMDB, default {ServeDefaults.Sumdb})" };
        var noSumdb = new Option<string>("--nosumdb") { Description = "GONOSUMDB-style patterns not checked against the public checksum database (env MODDOCK_NOSUMDB, default: --private)" };
        var privateSumdbKey = new Option<string>("--private-sumdb-key") { Description = "signer key file of the private checksum log (env MODDOCK_PRIVATE_SUMDB_KEY)" };
        var tlsCert = new Option<string>("--tls-cert") { Description = "PEM certificate chain: serve https on --listen (env MODDOCK_TLS_CERT; needs --tls-key)" };
        var tlsKey = new Option<string>("--tls-key") { Description = "PEM private key (RSA or ECDSA) of --tls-cert (env MODDOCK_TLS_KEY)" };
        var prefetch = new Option<string>("--prefetch") { Description = $"fetch ahead of clients: off, or a list of mod (the .mod of each requirement of a fetched go.mod), info (the .info after a .mod) and zip (the .zip after a .info) (env MODDOCK_PREFETCH, default {ServeDefaults.Prefetch})" };
        var offline = new Option<bool>("--offline") { Description = "serve from the cache only (env MODDOCK_OFFLINE)" };
        var config = new Option<string>("--config") { Description = "YAML file with the same settings (flags and env win over it)" };

        var command = new Command("serve", "Run a caching GOPROXY server: point GOPROXY at it.");
        foreach (var o in new Option[] { listen, storage, upstream, privatePatterns, insecure, sumdb, noSumdb, privateSumdbKey, tlsCert, tlsKey, prefetch, offline, config })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (parse, ct) =>
        {
            var flags = new Dictionary<string, string>(StringComparer.Ordinal);
            void Add(Option<string> option, string key)
            {
                if (parse.GetResult(option) is not null && parse.GetValue(option) is { } value)
                {
                    flags[key] = value;
                }
            }

            Add(listen, ServeSettingKeys.Listen);
            Add(storage, ServeSettingKeys.Storage);
            Add(upstream, ServeSettingKeys.Upstream);
            Add(privatePatterns, ServeSettingKeys.Private);
            Add(insecure, ServeSettingKeys.Insecure);
            Add(sumdb, ServeSettingKeys.Sumdb);
            Add(noSumdb, ServeSettingKeys.NoSumdb);
            Add(privateSumdbKey, ServeSettingKeys.PrivateSumdbKey);
            Add(tlsCert, ServeSettingKeys.TlsCert);
            Add(tlsKey, ServeSettingKeys.TlsKey);
            Add(prefetch, ServeSettingKeys.Prefetch);
            Add(config, ServeOptionsBuilder.ConfigKey);
            if (parse.GetResult(offline) is not null && parse.GetValue(offline))
            {
                flags[ServeSettingKeys.Offline] = "true";
            }

            var result = ServeOptionsBuilder.Build(flags, Environment.GetEnvironmentVariable);
            if (!result.IsValid)
            {
                await Console.Error.WriteLineAsync($"moddock serve: {result.Problems.Count} configuration problem(s):");
                foreach (var p in result.Problems)
                {
                    await Console.Error.WriteLineAsync("  " + p);
                }

                return 2;
            }

            var options = result.Options!;
            using var loggers = Moddock.Server.Logging.ServeLogging.CreateFactory();
            using var sumdbHttp = new HttpClient();
            var (checksums, sumdbError) = await SumdbSetup.CreateAsync(
                new SumdbOptions
                {
                    GoSumdb = options.Sumdb,
                    StorageDir = options.Storage,
                    NoSumdb = options.NoSumdb.Matches,
                    Offline = options.Offline,
                    PrivateSumdbKeyFile = options.PrivateSumdbKey,
                },
                sumdbHttp,
                loggers,
                ct);
            if (checksums is null)
            {
                await Console.Error.WriteLineAsync("moddock serve: 1 configuration problem(s):\n  " + sumdbError);
                return 2;
            }

            await using var app = ModdockServerHost.Build(options, services => ServePipeline.Add(services, options, checksums));
            try
            {
                await app.StartAsync(ct);
            }
            catch (IOException e)
            {
                await Console.Error.WriteLineAsync($"moddock serve: cannot listen on {options.Listen}: {e.Message}");
                return 1;
            }

            // Stops on SIGTERM / SIGINT (the host's console lifetime) and drains in-flight requests.
            await app.WaitForShutdownAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }
}
