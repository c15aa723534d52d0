using System.Text.Json;
using Moddock.Server.Configuration;
using Moddock.Server.Caching;
using Moddock.Server.Hosting;
using Moddock.Server.HotPath;

namespace Moddock.Server.Health;

/// <summary>
/// /healthz: the process answers. /readyz: the storage root is writable and each upstream's
/// state is listed, and whether TLS is on and until when its certificate is valid; 503 when
/// storage is not writable, because then nothing new can be cached.
/// </summary>
internal sealed class HealthEndpoints(
    ServeOptions options,
    IUpstreamStatusProvider upstreams,
    TlsCertificateSource tls,
    HotConnectionHandler hot,
    MemoryArtifactCache memory,
    TimeProvider time)
{
    public static Task HealthzAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("ok\n", context.RequestAborted);
    }

    public async Task ReadyzAsync(HttpContext context)
    {
        var storageProblem = StorageProbe.CheckWritable(options.Storage);
        var body = new ReadyzReport(
            Ready: storageProblem is null,
            Storage: new StorageReport(options.Storage, storageProblem is null, storageProblem),
            Offline: options.Offline,
            Upstreams: upstreams.Snapshot(),
            Tls: TlsReport.Of(tls, time.GetUtcNow()),
            HotPath: HotPathReport.Of(hot, memory),
            Prefetch: upstreams.Prefetch());
        context.Response.StatusCode = body.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, HealthJson.Default.ReadyzReport, context.RequestAborted);
    }
}
