using System.Text.Json;
using Moddock.Server.Configuration;

namespace Moddock.Server.Health;

/// <summary>
/// /healthz: the process answers. /readyz: the storage root is writable and each upstream's
/// state is listed; 503 when storage is not writable, because then nothing new can be cached.
/// </summary>
internal sealed class HealthEndpoints(ServeOptions options, IUpstreamStatusProvider upstreams)
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
            Upstreams: upstreams.Snapshot());
        context.Response.StatusCode = body.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, HealthJson.Default.ReadyzReport, context.RequestAborted);
    }
}
