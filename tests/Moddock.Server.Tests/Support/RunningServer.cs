using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moddock.Modules;
using Moddock.Proxy;
using Moddock.Server.Configuration;
using Moddock.Server.Hosting;
using Moddock.Testing;

namespace Moddock.Server.Tests.Support;

/// <summary>The real server host on 127.0.0.1 and a free port, with a fake resolver behind it.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningServer(WebApplication app, int port, FakeResolver resolver, string storage)
    {
        _app = app;
        Port = port;
        Resolver = resolver;
        Storage = storage;
    }

    public int Port { get; }

    public FakeResolver Resolver { get; }

    public string Storage { get; }

    /// <summary>The connection middleware that answers cache hits on the socket (its counters show who answered).</summary>
    public Moddock.Server.HotPath.HotConnectionHandler Hot => _app.Services.GetRequiredService<Moddock.Server.HotPath.HotConnectionHandler>();

    /// <summary>Stops the host (graceful shutdown), leaving disposal to <see cref="DisposeAsync"/>.</summary>
    public Task StopAsync() => _app.StopAsync();

    public static async Task<RunningServer> StartAsync(
        string? storage = null,
        string upstream = "http://127.0.0.1:1/up1|https://user:secret@mirror.example/,direct",
        long memoryCacheBytes = ServeDefaults.MemoryCacheBytes,
        Moddock.Server.Auth.ClientAuthOptions? auth = null,
        Moddock.Server.HotPath.HotPathLimits? hotLimits = null,
        Action<IServiceCollection>? configure = null)
    {
        var resolver = new FakeResolver();
        var port = FreePort.Next();
        storage ??= TestEnvironment.NewTempDir("server-storage");
        var options = TestServeOptions.Create(port, storage, upstream, memoryCacheBytes: memoryCacheBytes, auth: auth);
        var app = ModdockServerHost.Build(
            options,
            s =>
            {
                s.AddSingleton<IModuleResolver>(resolver);
                if (hotLimits is not null)
                {
                    s.AddSingleton(hotLimits); // the last registration wins over the host's defaults
                }

                configure?.Invoke(s);
            },
            l => l.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        return new RunningServer(app, port, resolver, storage);
    }

    public Task<RawResponse> SendAsync(string method, string target) => RawHttp.SendAsync(Port, method, target);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
