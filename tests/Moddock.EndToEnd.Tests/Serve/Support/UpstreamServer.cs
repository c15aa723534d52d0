using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Serve.Support;

/// <summary>How an upstream misbehaves.</summary>
internal enum UpstreamMode
{
    /// <summary>Serves the file tree as it is.</summary>
    Files,

    /// <summary>Always 500 with a reason.</summary>
    Always500,

    /// <summary>503 for the first <see cref="UpstreamServer.FailuresLeft"/> requests of each path, then the files.</summary>
    Fail503ThenRecover,

    /// <summary>Zips announce their full length and stop after half of it.</summary>
    CutZips,

    /// <summary>.info answers claim another version than asked.</summary>
    TamperInfo,

    /// <summary>Every file 404.</summary>
    Empty,
}

/// <summary>
/// A file-layout GOPROXY upstream on 127.0.0.1 (Kestrel, in the test process) that can be
/// switched into a failure mode, and counts the requests it got per path.
/// </summary>
internal sealed class UpstreamServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _failuresByPath = new();

    private UpstreamServer(WebApplication app, int port, string root)
    {
        _app = app;
        Port = port;
        Root = root;
    }

    public int Port { get; }

    public string Root { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public UpstreamMode Mode { get; set; }

    public int FailuresLeft { get; set; } = 2;

    /// <summary>Delay before each zip body byte block (to keep a download in flight).</summary>
    public TimeSpan ZipChunkDelay { get; set; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public int CountOf(string suffix) => Requests.Count(r => r.EndsWith(suffix, StringComparison.Ordinal));

    public static async Task<UpstreamServer> StartAsync(string root, UpstreamMode mode = UpstreamMode.Files)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(root, mode);
            }
            catch (IOException) when (attempt < 3)
            {
                // the free port was taken by a parallel test in the meantime
            }
        }
    }

    private static async Task<UpstreamServer> StartOnceAsync(string root, UpstreamMode mode)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        var app = builder.Build();
        var server = new UpstreamServer(app, port, root) { Mode = mode };
        app.Run(server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        Requests.Enqueue(target);
        var relative = Uri.UnescapeDataString(target.TrimStart('/'));
        var file = Path.GetFullPath(Path.Combine(Root, relative));
        switch (Mode)
        {
            case UpstreamMode.Always500:
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync("upstream exploded (test)\n");
                return;
            case UpstreamMode.Fail503ThenRecover when _failuresByPath.AddOrUpdate(target, 1, (_, n) => n + 1) <= FailuresLeft:
                context.Response.StatusCode = 503;
                await context.Response.WriteAsync("try again later (test)\n");
                return;
            case UpstreamMode.Empty:
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync("not found (test)\n");
                return;
        }

        if (!file.StartsWith(Root, StringComparison.Ordinal) || !File.Exists(file))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("not found: " + relative + "\n");
            return;
        }

        var bytes = await File.ReadAllBytesAsync(file);
        if (Mode == UpstreamMode.TamperInfo && file.EndsWith(".info", StringComparison.Ordinal))
        {
            bytes = System.Text.Encoding.UTF8.GetBytes("{\"Version\":\"v9.9.9\",\"Time\":\"2024-01-01T00:00:00Z\"}");
        }

        context.Response.ContentLength = bytes.Length;
        var zip = file.EndsWith(".zip", StringComparison.Ordinal);
        var length = Mode == UpstreamMode.CutZips && zip ? bytes.Length / 2 : bytes.Length;
        const int Chunk = 64 * 1024;
        for (var i = 0; i < length; i += Chunk)
        {
            if (zip && ZipChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(ZipChunkDelay);
            }

            await context.Response.Body.WriteAsync(bytes.AsMemory(i, Math.Min(Chunk, length - i)));
            await context.Response.Body.FlushAsync();
        }

        if (length < bytes.Length)
        {
            context.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
