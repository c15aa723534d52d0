using System.Text.Json;
using Moddock.Server.Configuration;
using Moddock.Server.Caching;
using Moddock.Server.Hosting;
using Moddock.Server.HotPath;

namespace Moddock.Server.Health;

/// <summary>
/// /healthz: the process answers. /readyz: the storage root is writable and each upstream's
/// state is listed, and whether TLS is on and until when its certificate is valid; 503 when
/// storage is not writable, because then nothing new can be cached, and when the TLS certificate
/// has expired, because then no client can connect.
/// </summary>
internal sealed class HealthEndpoints(
    ServeOptions options,
    IUpstreamStatusProvider upstreams,
    TlsCertificateSource tls,
    HotConnectionHandler hot,
    MemoryArtifactCache memory,
    TimeProvider time)
{
    private static readonly byte[] Ok = "ok\n"u8.ToArray();

    public static Task HealthzAsync(HttpContext context)
    {
        if (!IsGetOrHead(context))
        {
            return RejectMethodAsync(context);
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.ContentLength = Ok.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(Ok, context.RequestAborted).AsTask();
    }

    public async Task ReadyzAsync(HttpContext context)
    {
        if (!IsGetOrHead(context))
        {
            await RejectMethodAsync(context);
            return;
        }

        var storageProblem = StorageProbe.CheckWritable(options.Storage);
        var tlsReport = TlsReport.Of(tls, time.GetUtcNow());
        var body = new ReadyzReport(
            // An expired certificate fails every client's handshake, as start-up validation says when it refuses one.
            Ready: storageProblem is null && tlsReport.Expired != true,
            Storage: new StorageReport(options.Storage, storageProblem is null, storageProblem, StorageProbe.FreeBytes(options.Storage), Moddock.Proxy.Storage.StoreDigests.Problem),
            Offline: options.Offline,
            Upstreams: upstreams.Snapshot(),
            Tls: tlsReport,
            HotPath: HotPathReport.Of(hot, memory),
            Prefetch: upstreams.Prefetch());
        context.Response.StatusCode = body.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";

        // Serialized first so GET and HEAD both say their Content-Length, as the module endpoints do.
        var json = JsonSerializer.SerializeToUtf8Bytes(body, HealthJson.Default.ReadyzReport);
        context.Response.ContentLength = json.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(json, context.RequestAborted);
        }
    }

    private static bool IsGetOrHead(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);

    private static Task RejectMethodAsync(HttpContext context)
    {
        context.Response.Headers.Allow = "GET, HEAD";
        return Endpoints.ErrorResponse.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, $"method {context.Request.Method} not allowed: {context.Request.Path} answers GET and HEAD");
    }
}
