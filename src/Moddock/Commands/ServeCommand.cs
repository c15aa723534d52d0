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
        var listTtl = new Option<string>("--list-ttl") { Description = "how long list and @latest answers stay fresh, like 60s (env MODDOCK_LIST_TTL, default 60s)" };
        var notFoundTtl = new Option<string>("--not-found-ttl") { Description = "how long a not-found answer is remembered (env MODDOCK_NOT_FOUND_TTL, default 60s)" };
        var connectTimeout = new Option<string>("--connect-timeout") { Description = "upstream connect timeout (env MODDOCK_CONNECT_TIMEOUT, default 5s)" };
        var firstByteTimeout = new Option<string>("--first-byte-timeout") { Description = "upstream time to first byte (env MODDOCK_FIRST_BYTE_TIMEOUT, default 15s)" };
        var bodyIdleTimeout = new Option<string>("--body-idle-timeout") { Description = "longest pause inside an upstream body (env MODDOCK_BODY_IDLE_TIMEOUT, default 60s)" };
        var memoryCache = new Option<string>("--memory-cache") { Description = "bytes of immutable artifacts kept in memory, like 64MiB, or 0 (env MODDOCK_MEMORY_CACHE, default 64MiB)" };
        var offline = new Option<bool>("--offline") { Description = "serve from the cache only (env MODDOCK_OFFLINE)" };
        var config = new Option<string>("--config") { Description = "YAML file with the same settings (flags and env win over it)" };

        var command = new Command("serve", "Run a caching GOPROXY server: point GOPROXY at it.");
        foreach (var o in new Option[]
                 {
                     listen, storage, upstream, privatePatterns, insecure, sumdb, noSumdb, privateSumdbKey, tlsCert, tlsKey, prefetch,
                     listTtl, notFoundTtl, connectTimeout, firstByteTimeout, bodyIdleTimeout, memoryCache, offline, config,
                 })
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
            Add(listTtl, ServeSettingKeys.ListTtl);
            Add(notFoundTtl, ServeSettingKeys.NotFoundTtl);
            Add(connectTimeout, ServeSettingKeys.ConnectTimeout);
            Add(firstByteTimeout, ServeSettingKeys.FirstByteTimeout);
            Add(bodyIdleTimeout, ServeSettingKeys.BodyIdleTimeout);
            Add(memoryCache, ServeSettingKeys.MemoryCache);
            Add(config, ServeOptionsBuilder.ConfigKey);

            // "--offline false" is a flag too: it must beat MODDOCK_OFFLINE=true, so both values are passed on.
            if (parse.GetResult(offline) is { Implicit: false })
            {
                flags[ServeSettingKeys.Offline] = parse.GetValue(offline) ? "true" : "false";
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
            try
            {
                // Found only by trying (a path under a file, a read-only or virtual file system); the store needs it first.
                Directory.CreateDirectory(options.Storage);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                var problem = new ConfigProblem(ServeSettingKeys.Storage, options.StorageSource, options.Storage, "cannot create the directory: " + e.Message);
                await Console.Error.WriteLineAsync("moddock serve: 1 configuration problem(s):\n  " + problem);
                return 2;
            }

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
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
            {
                // In use (IOException from Kestrel), or not an address of this host (SocketException from bind).
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
