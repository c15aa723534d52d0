using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Moddock.Modules;

namespace Moddock.Server.Auth;

/// <summary>
/// Asks clients for credentials where the access rules say so: 401 with a Basic challenge when none
/// (or wrong ones) were sent, 403 when the principal is not allowed for that module path. Works out the
/// module path from GOPROXY URLs (/M/@v/…, /M/@latest) and checksum lookups (/sumdb/NAME/lookup/M@V).
/// </summary>
internal sealed partial class ClientAuthMiddleware(RequestDelegate next, ClientAuthOptions options, ClientAuthenticator authenticator, ILogger<ClientAuthMiddleware> log)
{
    private readonly (PathPatterns Patterns, ClientAccessRule Rule)[] _rules =
        options.Rules.Select(r => (PathPatterns.Parse(r.Pattern), r)).ToArray();

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (options.OpenPaths.Contains(path, StringComparer.Ordinal))
        {
            return next(context);
        }

        var module = ModulePathOf(path);
        var rule = module is null ? null : _rules.FirstOrDefault(r => r.Patterns.Matches(module)).Rule;
        var required = rule?.RequireAuthentication ?? (options.RequireByDefault || IsPrivateSumdbWithoutModule(path, module));
        if (!required)
        {
            return next(context);
        }

        var principal = authenticator.Authenticate(context.Request.Headers.Authorization.ToString(), context.Connection.RemoteIpAddress, out var retryAfter);
        if (principal is null && retryAfter > TimeSpan.Zero)
        {
            var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
            LogDenied(log, path, "throttled after repeated failed credentials");
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Reject(context, StatusCodes.Status429TooManyRequests,
                $"too many failed authentication attempts from {context.Connection.RemoteIpAddress}: credentials are checked again in {seconds} s");
        }

        if (principal is null)
        {
            LogDenied(log, path, "no valid credentials");
            context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{options.Realm}\"";
            return Reject(context, StatusCodes.Status401Unauthorized, $"authentication required for {module ?? path}: send a token (Bearer, or as the .netrc password)");
        }

        if (rule?.Allow is { Count: > 0 } allow && !allow.Contains(principal, StringComparer.Ordinal))
        {
            LogDenied(log, path, principal + " not allowed");
            return Reject(context, StatusCodes.Status403Forbidden, $"{principal} may not fetch {module}");
        }

        context.Items["moddock.principal"] = principal;
        return next(context);
    }

    /// <summary>Tiles, latest and supported of a checksum log other than the public ones, while any rule asks for credentials.</summary>
    private bool IsPrivateSumdbWithoutModule(string path, string? module)
    {
        if (module is not null || !path.StartsWith("/sumdb/", StringComparison.Ordinal) || !_rules.Any(r => r.Rule.RequireAuthentication))
        {
            return false;
        }

        var rest = path["/sumdb/".Length..];
        return !options.PublicSumdbNames.Any(n => rest.StartsWith(n + "/", StringComparison.Ordinal) || rest == n);
    }

    /// <summary>The unescaped module path a request is about, or null when the URL names none.</summary>
    internal static string? ModulePathOf(string requestPath)
    {
        var p = requestPath.TrimStart('/');
        string? escaped = null;
        if (p.StartsWith("sumdb/", StringComparison.Ordinal))
        {
            var lookup = p.IndexOf("/lookup/", StringComparison.Ordinal);
            if (lookup > 0)
            {
                var mv = p[(lookup + "/lookup/".Length)..];
                var at = mv.LastIndexOf('@');
                escaped = at > 0 ? mv[..at] : null;
            }
        }
        else
        {
            var v = p.IndexOf("/@v/", StringComparison.Ordinal);
            var latest = p.EndsWith("/@latest", StringComparison.Ordinal) ? p.Length - "/@latest".Length : -1;
            var end = v >= 0 ? v : latest;
            escaped = end > 0 ? p[..end] : null;
        }

        if (escaped is null)
        {
            return null;
        }

        return ModuleEscaping.TryUnescapePath(escaped, out var path, out _) ? path : escaped;
    }

    private static Task Reject(HttpContext context, int status, string reason)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(reason + "\n");
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "client auth refused {Path}: {Why}")]
    private static partial void LogDenied(ILogger logger, string path, string why);
}
