using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moddock.Proxy;
using Moddock.Proxy.Sources.Git;
using Moddock.Server.Configuration;
using Moddock.Server.Health;
using Moddock.Sumdb;

namespace Moddock.Commands;

/// <summary>Wires the proxy pipeline (Moddock.Proxy's <see cref="ModuleProxy"/>) and the checksum database behind the server.</summary>
internal static class ServePipeline
{
    public static void Add(IServiceCollection services, ServeOptions options, SumdbComponents checksums)
    {
        services.AddSingleton<ISumdbEndpoint>(checksums.Endpoint);

        // `direct` in --upstream (and --private modules) fetch from version control.
        services.AddSingleton(sp => new DirectSource(
            new DirectSourceOptions
            {
                StorageDirectory = Path.Combine(options.Storage, "vcs"),
                Insecure = options.Insecure.ToString(),
                MaxConcurrentGit = options.Direct.GitConcurrency,
                GitTimeout = options.Direct.GitTimeout,
                ProbeTimeout = options.Direct.ProbeTimeout,
                RefreshInterval = options.Direct.RefreshInterval,
                RewriteRules = options.Direct.RewriteRules,
                Credentials = options.Direct.Credentials,
                NetrcPath = options.Direct.NetrcPath,
                SshKeyPath = options.Direct.SshKeyPath,
                SshKnownHostsPath = options.Direct.SshKnownHostsPath,
            },
            sp.GetRequiredService<TimeProvider>(),
            logger: sp.GetRequiredService<ILogger<DirectSource>>()));
        services.AddSingleton(sp =>
        {
            var proxyOptions = new ModuleProxyOptions
            {
                Upstreams = options.Upstreams,
                Private = options.Private,
            };
            proxyOptions.Storage.Root = options.Storage;
            proxyOptions.Resolver.Offline = options.Offline;
            proxyOptions.Resolver.ListTtl = options.ListTtl;
            proxyOptions.Resolver.NotFoundTtl = options.NotFoundTtl;
            proxyOptions.Resolver.Prefetch = options.Prefetch;
            proxyOptions.Upstream.ConnectTimeout = options.ConnectTimeout;
            proxyOptions.Upstream.FirstByteTimeout = options.FirstByteTimeout;
            proxyOptions.Upstream.BodyIdleTimeout = options.BodyIdleTimeout;

            // A download in progress in another process sharing the storage writes its temp at least once per
            // body-idle timeout; only temps idle for much longer are a crash's leftovers.
            proxyOptions.Storage.AbandonedTempAge = TimeSpan.FromTicks(Math.Max(proxyOptions.Storage.AbandonedTempAge.Ticks, 4 * options.BodyIdleTimeout.Ticks));

            // The routing verifier decides public database / private log / skip by itself
            // (--nosumdb), so the pipeline is given no skip patterns of its own.
            var proxy = ModuleProxy.Create(
                proxyOptions,
                sp.GetRequiredService<ILoggerFactory>(),
                sp.GetRequiredService<TimeProvider>(),
                checksums.Verifier,
                sp.GetRequiredService<DirectSource>());

            // The go command looks a version up in the checksum database before it downloads it, so a lookup
            // of a version the private log has not seen yet resolves it through this same pipeline (which
            // logs it via the routing verifier) before answering. The server resolves the pipeline while it
            // is built, before it takes a request, so no lookup can arrive without the hook.
            if (checksums.PrivateLog is { } log)
            {
                log.FetchHook = SumdbPrivateLogHook.Create(() => proxy.Resolver);
            }

            return proxy;
        });
        services.AddSingleton<IModuleResolver>(sp => sp.GetRequiredService<ModuleProxy>().Resolver);
        services.AddSingleton<IUpstreamStatusProvider>(sp => new ModuleProxyUpstreams(sp.GetRequiredService<ServeOptions>(), sp.GetRequiredService<ModuleProxy>()));
    }
}
