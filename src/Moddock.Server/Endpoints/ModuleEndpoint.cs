using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Moddock.Proxy;
using Moddock.Server.Logging;
using Moddock.Server.Routing;

namespace Moddock.Server.Endpoints;

/// <summary>
/// The GOPROXY protocol at the root: parse the raw target, ask the resolver, map the outcome,
/// write the bytes. HEAD runs exactly the same path (fetching if needed) and only skips the body.
/// </summary>
internal sealed class ModuleEndpoint(IModuleResolver resolver, TimeProvider time, ILogger<ModuleEndpoint> logger)
{
    /// <summary>
    /// MODDOCK_FILE_WRITER=sendfile switches stored files back to Kestrel's SendFileAsync; it
    /// exists so bench/serve can measure both writers side by side, not as a user setting.
    /// </summary>
    private static readonly bool UseKestrelSendFile =
        string.Equals(Environment.GetEnvironmentVariable("MODDOCK_FILE_WRITER"), "sendfile", StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        var method = context.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            await ErrorResponse.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, $"method {method} not allowed: a module proxy answers GET and HEAD");
            RequestLog.Rejected(logger, method, StatusCodes.Status405MethodNotAllowed, "method", Elapsed(started));
            return;
        }

        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        if (!ProxyTarget.TryParse(rawTarget, out var request, out var rejection))
        {
            await ErrorResponse.WriteAsync(context, rejection!.StatusCode, rejection.Reason);
            RequestLog.Rejected(logger, method, rejection.StatusCode, rejection.Reason, Elapsed(started));
            return;
        }

        var kind = request!.Kind.ToString();
        ResolveResult result;
        try
        {
            result = await resolver.ResolveAsync(request, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            RequestLog.ClientGone(logger, request.Path.Value, kind, request.Query);
            return;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            RequestLog.ResolverFailed(logger, e, request.Path.Value, kind, request.Query);
            await ErrorResponse.WriteAsync(context, StatusCodes.Status500InternalServerError, "internal error while resolving " + request.Path.Value);
            RequestLog.Request(logger, method, request.Path.Value, request.Query, kind, "error", null, StatusCodes.Status500InternalServerError, Elapsed(started));
            return;
        }

        var status = OutcomeStatus.For(result.Outcome);
        var cache = result.Content?.Stale == true ? CacheStatus.Stale : result.Cache;
        context.Response.Headers["X-Moddock-Cache"] = cache.ToString().ToLowerInvariant();
        if (result.Outcome != ResolveOutcome.Found || result.Content is null)
        {
            await ErrorResponse.WriteAsync(context, status, result.Reason ?? DefaultReason(result.Outcome));
        }
        else
        {
            try
            {
                await WriteContentAsync(context, request.Kind, result.Content);
            }
            catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
            {
                RequestLog.ClientGone(logger, request.Path.Value, kind, request.Query);
            }
            catch (IOException e)
            {
                // A streamed miss whose fetch failed (or failed verification): before the first
                // byte it is an ordinary 502; mid-body the connection is cut so the client sees
                // a short body, never a complete wrong one.
                RequestLog.StreamFailed(logger, request.Path.Value, kind, request.Query, e.Message);
                status = StatusCodes.Status502BadGateway;
                if (context.Response.HasStarted)
                {
                    context.Abort();
                }
                else
                {
                    context.Response.Headers.Remove("Content-Length");
                    await ErrorResponse.WriteAsync(context, status, "upstream failed while sending " + request.Path.Value + ": " + e.Message);
                }
            }
        }

        RequestLog.Request(logger, method, request.Path.Value, request.Query, kind, cache.ToString().ToLowerInvariant(), result.Upstream, status, Elapsed(started));
    }

    private static async Task WriteContentAsync(HttpContext context, ArtifactKind kind, ArtifactContent content)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = Moddock.Proxy.Resolution.ContentTypes.For(kind);
        if (content.Length >= 0)
        {
            response.ContentLength = content.Length;
        }

        if (content.LastModified is { } modified)
        {
            response.Headers.LastModified = modified.ToString("R");
        }

        if (content.Stale)
        {
            // RFC 7234 §5.5.1: 110 "Response is Stale"; also named in our own header for scripts.
            response.Headers.Warning = "110 moddock \"Response is Stale\"";
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        var ct = context.RequestAborted;
        if (content.FilePath is { } file)
        {
            if (UseKestrelSendFile)
            {
                await response.SendFileAsync(file, 0, content.Length >= 0 ? content.Length : null, ct);
            }
            else
            {
                await FileBodyWriter.WriteAsync(context, file, content.Length, ct);
            }

            return;
        }

        if (content.OpenStream is { } open)
        {
            await using var stream = open(ct);
            await stream.CopyToAsync(response.Body, 81920, ct);
        }
    }

    private static string DefaultReason(ResolveOutcome outcome) => outcome switch
    {
        ResolveOutcome.NotFound => "not found",
        ResolveOutcome.Gone => "gone",
        ResolveOutcome.BadRequest => "bad request",
        ResolveOutcome.Unauthorized => "unauthorized",
        ResolveOutcome.Forbidden => "forbidden",
        ResolveOutcome.Refused => "refused: the upstream's answer failed verification",
        _ => "upstream failed",
    };

    private double Elapsed(long started) => time.GetElapsedTime(started).TotalMilliseconds;
}
