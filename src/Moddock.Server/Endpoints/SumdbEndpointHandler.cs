using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Moddock.Server.Logging;
using Moddock.Server.Routing;
using Moddock.Sumdb;

namespace Moddock.Server.Endpoints;

/// <summary>
/// /sumdb/{name}/{rest}: the checksum-database proxy protocol (go.dev/ref/mod#checksum-database),
/// answered by Moddock.Sumdb. The go command first asks /sumdb/NAME/supported; a 404 makes it
/// talk to the database itself.
/// </summary>
internal sealed class SumdbEndpointHandler(ISumdbEndpoint? endpoint, TimeProvider time, ILogger<SumdbEndpointHandler> logger)
{
    public const string Prefix = "/sumdb/";

    public async Task HandleAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        var method = context.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            context.Response.Headers.Allow = "GET, HEAD";
            await ErrorResponse.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, $"method {method} not allowed: a checksum database proxy answers GET and HEAD");
            return;
        }

        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        if (!TryParse(raw, out var name, out var rest, out var problem))
        {
            await ErrorResponse.WriteAsync(context, StatusCodes.Status400BadRequest, "bad request: " + problem);
            RequestLog.Rejected(logger, method, StatusCodes.Status400BadRequest, problem!, time.GetElapsedTime(started).TotalMilliseconds);
            return;
        }

        if (endpoint is null)
        {
            await ErrorResponse.WriteAsync(context, StatusCodes.Status404NotFound, "not found: this server does not proxy checksum databases (--sumdb off)");
            return;
        }

        SumdbResponse answer;
        try
        {
            answer = await endpoint.HandleAsync(name!, rest!, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var response = context.Response;
        response.StatusCode = answer.Status;
        response.ContentType = answer.ContentType;
        response.ContentLength = answer.Body.Length;
        response.Headers["X-Moddock-Cache"] = answer.FromCache ? "hit" : "miss";
        if (!HttpMethods.IsHead(method))
        {
            await response.Body.WriteAsync(answer.Body, context.RequestAborted);
        }

        RequestLog.Request(logger, method, name, rest, "Sumdb", answer.FromCache ? "hit" : "miss", name, answer.Status, time.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Same discipline as module paths: decode once, no separators smuggled in escapes, no dot or empty elements.</summary>
    internal static bool TryParse(string rawTarget, out string? name, out string? rest, out string? problem)
    {
        name = rest = null;
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = q >= 0 ? rawTarget[..q] : rawTarget;
        if (rawPath.Length > ProxyTarget.MaxTargetLength)
        {
            problem = "request target too long";
            return false;
        }

        if (!PercentDecoder.TryDecode(rawPath, out var path, out problem))
        {
            return false;
        }

        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            problem = "request path has \".\" or \"..\" elements";
            return false;
        }

        var elements = path[Prefix.Length..].Split('/');
        if (elements.Length < 2 || elements.Any(e => e.Length == 0 || e is "." or ".." || e.Contains('\\', StringComparison.Ordinal) || e.Any(char.IsControl)))
        {
            problem = "want /sumdb/NAME/supported, /lookup/M@V, /tile/... or /latest";
            return false;
        }

        // A database name may itself have several elements (e.g. moddock.internal/private, as GOSUMDB names
        // are key names): the name is everything before the protocol verb.
        if (!SumdbRequestPath.TrySplit(string.Join('/', elements), out var n, out var r))
        {
            problem = "want /sumdb/NAME/supported, /lookup/M@V, /tile/... or /latest";
            return false;
        }

        name = n;
        rest = r;
        return true;
    }
}
