using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moddock.Proxy;
using Moddock.Server.Auth;
using Moddock.Server.Caching;
using Moddock.Server.Configuration;
using Moddock.Server.Endpoints;
using Moddock.Server.Health;
using Moddock.Server.HotPath;
using Moddock.Server.Logging;

namespace Moddock.Server.Hosting;

/// <summary>
/// Builds the `moddock serve` web host: Kestrel on the listen address, one terminal handler
/// (no routing table: the GOPROXY space is the whole root), JSON log lines, graceful stop on
/// SIGTERM (the generic host's console lifetime).
/// </summary>
public static class ModdockServerHost
{
    /// <param name="addResolver">Registers the <see cref="IModuleResolver"/> (and anything it needs).</param>
    /// <param name="middleware">Runs before the endpoints, e.g. client authentication (<c>app.UseModdockClientAuth(...)</c>).</param>
    public static WebApplication Build(ServeOptions options, Action<IServiceCollection> addResolver, Action<ILoggingBuilder>? logging = null, Action<IApplicationBuilder>? middleware = null)
    {
        // Moddock's settings come from flags, MODDOCK_* and --config, never appsettings.json. The default
        // host would read appsettings.json from the working directory and watch that directory
        // recursively for changes: with the storage under it, every new module directory took an
        // inotify watch and 5-11 % of a cold download's CPU (bench/serve/notes.md). Content root = the
        // install directory, no reload watching.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        (logging ?? ServeLogging.Configure)(builder.Logging);

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            var port = options.Listen.Port;
            var certificates = k.ApplicationServices.GetRequiredService<TlsCertificateSource>();
            var hostFilter = k.ApplicationServices.GetRequiredService<IOptions<HostFilteringOptions>>().Value;
            var hot = HotConnectionHandler.CanRunWith(certificates.Enabled, options.Auth is not null, hostFilter)
                ? k.ApplicationServices.GetRequiredService<HotConnectionHandler>()
                : null;
            Action<ListenOptions> tls = listen =>
            {
                certificates.Configure(listen); // https when --tls-cert is set
                if (hot is not null)
                {
                    hot.InstallOn(listen); // cache hits answered on the socket, before Kestrel's HTTP/1.1
                }
            };
            switch (options.Listen.Host)
            {
                case "*":
                    k.ListenAnyIP(port, tls);
                    break;
                case "localhost":
                    k.ListenLocalhost(port, tls);
                    break;
                default:
                    k.Listen(IPAddress.Parse(options.Listen.Host), port, tls);
                    break;
            }
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<TlsCertificateSource>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<IUpstreamStatusProvider, ConfiguredUpstreams>();
        builder.Services.AddSingleton(new MemoryArtifactCache(options.MemoryCacheBytes));
        builder.Services.AddSingleton<StoredArtifactAdmission>();
        builder.Services.AddSingleton<ModuleEndpoint>();
        builder.Services.AddSingleton(new HotPathLimits());
        builder.Services.AddSingleton<HotConnectionHandler>();
        builder.Services.AddSingleton<HealthEndpoints>();
        builder.Services.AddSingleton(sp => new SumdbEndpointHandler(
            sp.GetService<Moddock.Sumdb.ISumdbEndpoint>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SumdbEndpointHandler>>()));
        addResolver(builder.Services);

        var app = builder.Build();
        var modules = app.Services.GetRequiredService<ModuleEndpoint>();
        var health = app.Services.GetRequiredService<HealthEndpoints>();
        var sumdb = app.Services.GetRequiredService<SumdbEndpointHandler>();
        if (app.Services.GetService<Moddock.Proxy.ModuleProxy>() is { } proxy)
        {
            // What the proxy stores (fetched for a client or read ahead) is in memory before anyone asks for it again.
            app.Services.GetRequiredService<StoredArtifactAdmission>().Attach(proxy);
        }
        if (options.Auth is { } auth)
        {
            // Before every endpoint; /healthz and /readyz stay open (ClientAuthOptions.OpenPaths) for probes.
            app.UseModdockClientAuth(auth, app.Services.GetRequiredService<TimeProvider>());
        }

        app.Use(ForwardedResponses.TrackAsync); // tells the hot path when Kestrel finished a request it forwarded
        middleware?.Invoke(app);
        app.Run(context => context.Request.Path.Value switch
        {
            "/healthz" => HealthEndpoints.HealthzAsync(context),
            "/readyz" => health.ReadyzAsync(context),
            { } p when p.StartsWith(SumdbEndpointHandler.Prefix, StringComparison.Ordinal) => sumdb.HandleAsync(context),
            _ => modules.HandleAsync(context),
        });

        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Moddock.Server");
        // What Kestrel bound, not what was asked: with port 0 the log line is the only place the port shows.
        app.Lifetime.ApplicationStarted.Register(() =>
            RequestLog.Listening(log, BoundAddresses(app) ?? options.Listen.ToString(), options.Storage, UrlCredentials.Redact(options.UpstreamText), options.Offline));
        return app;
    }

    private static string? BoundAddresses(WebApplication app) =>
        app.Urls.Count == 0 ? null : string.Join(", ", app.Urls.Select(u => new Uri(u).Authority));
}
