using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Moddock.Modules;
using Moddock.Proxy;
using Moddock.Server.Caching;
using Moddock.Server.Logging;
using Moddock.Server.Routing;

namespace Moddock.Server.Endpoints;

/// <summary>
/// The GOPROXY protocol at the root: parse the raw target, ask the resolver, map the outcome,
/// write the bytes. HEAD runs exactly the same path (fetching if needed) and only skips the body.
/// An immutable artifact the store already holds is kept in <see cref="MemoryArtifactCache"/>
/// under its raw target; a later request for the same target is answered from memory without
/// parsing, resolving or touching the disk (and without an async state machine when the bytes
/// fit the response buffer).
/// </summary>
internal sealed class ModuleEndpoint(IModuleResolver resolver, MemoryArtifactCache memory, TimeProvider time, ILogger<ModuleEndpoint> logger)
{
    private const string CacheHeader = "X-Moddock-Cache";

    private static readonly StringValues HitValue = new("hit");
    private static readonly StringValues MissValue = new("miss");
    private static readonly StringValues StaleValue = new("stale");
    private static readonly StringValues BypassValue = new("bypass");

    public Task HandleAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        var method = context.Request.Method;
        var isGet = HttpMethods.IsGet(method);
        if (!isGet && !HttpMethods.IsHead(method))
        {
            return RejectMethodAsync(context, method, started);
        }

        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var key = MemoryArtifactCache.KeyFor(rawTarget);
        if (memory.TryGet(key, out var cached) && cached.TryAcquire())
        {
            if (cached.IsWhole())
            {
                return ServeFromMemory(context, key, method, isGet, cached, null, started);
            }

            // The stored file was damaged since it was cached: the resolver checks the store and repairs it.
            cached.Release();
            Evict(key, cached);
        }

        return HandleUncachedAsync(context, method, rawTarget, started);
    }

    private void Evict(string key, CachedArtifact cached)
    {
        if (memory.TryRemove(key, cached))
        {
            RequestLog.CachedFileDamaged(logger, cached.Module, cached.Kind, cached.Version, cached.Length);
        }
    }

    private async Task RejectMethodAsync(HttpContext context, string method, long started)
    {
        context.Response.Headers.Allow = "GET, HEAD";
        await ErrorResponse.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, $"method {method} not allowed: a module proxy answers GET and HEAD");
        RequestLog.Rejected(logger, method, StatusCodes.Status405MethodNotAllowed, "method", Elapsed(started));
    }

    /// <summary>Answers from a cache entry the caller holds a lease on; the lease is returned when the body is written.</summary>
    private Task ServeFromMemory(HttpContext context, string key, string method, bool isGet, CachedArtifact cached, string? upstream, long started)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        var headers = response.Headers;
        headers.ContentType = cached.ContentType;
        headers.ContentLength = cached.Length;
        if (cached.LastModified.Count > 0)
        {
            headers.LastModified = cached.LastModified;
        }

        headers[CacheHeader] = HitValue;
        if (!isGet)
        {
            cached.Release();
            LogHit(method, cached, upstream, started);
            return Task.CompletedTask;
        }

        var write = cached.Body is { } body
            ? MemoryBodyWriter.WriteAsync(response.BodyWriter, body, context.RequestAborted)
            : FileBodyWriter.WriteAsync(context, cached.File!.SafeFileHandle, cached.Length, context.RequestAborted);
        if (write.IsCompletedSuccessfully)
        {
            cached.Release();
            LogHit(method, cached, upstream, started);
            return Task.CompletedTask;
        }

        return AwaitMemoryWriteAsync(context, key, write, method, cached, upstream, started);
    }

    private async Task AwaitMemoryWriteAsync(HttpContext context, string key, Task write, string method, CachedArtifact cached, string? upstream, long started)
    {
        try
        {
            await write;
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            RequestLog.ClientGone(logger, cached.Module, cached.Kind, cached.Version);
            return;
        }
        catch (IOException e) when (!cached.IsWhole())
        {
            // The stored file shrank under the send: cut the connection so the client sees a short body, never a
            // whole one, and let the next request reach the resolver.
            RequestLog.StreamFailed(logger, cached.Module, cached.Kind, cached.Version, e.Message);
            Evict(key, cached);
            context.Abort();
            return;
        }
        finally
        {
            cached.Release();
        }

        LogHit(method, cached, upstream, started);
    }

    private void LogHit(string method, CachedArtifact cached, string? upstream, long started) =>
        RequestLog.Request(logger, method, cached.Module, cached.Version, cached.Kind, "hit", upstream, StatusCodes.Status200OK, Elapsed(started));

    private async Task HandleUncachedAsync(HttpContext context, string method, string rawTarget, long started, bool retried = false)
    {
        if (!ProxyTarget.TryParse(rawTarget, out var request, out var rejection))
        {
            await ErrorResponse.WriteAsync(context, rejection!.StatusCode, rejection.Reason);
            RequestLog.Rejected(logger, method, rejection.StatusCode, rejection.Reason, Elapsed(started));
            return;
        }

        var kind = KindName(request!.Kind);
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

        if (TryRemember(rawTarget, request, kind, result) is { } remembered && remembered.TryAcquire())
        {
            await ServeFromMemory(context, MemoryArtifactCache.KeyFor(rawTarget), method, HttpMethods.IsGet(method), remembered, result.Upstream, started);
            return;
        }

        var status = OutcomeStatus.For(result.Outcome);
        var cache = result.Content?.Stale == true ? CacheStatus.Stale : result.Cache;
        context.Response.Headers[CacheHeader] = CacheValue(cache);
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
            catch (ArtifactSupersededException e) when (!context.Response.HasStarted && !retried)
            {
                // Another process sharing the storage stored its own copy of this zip first and this answer's copy
                // is gone; nothing was sent, so the stored copy (verified when it was stored) is the answer.
                RequestLog.Superseded(logger, request.Path.Value, kind, request.Query, e.Message);
                context.Response.Headers.Clear();
                context.Response.StatusCode = StatusCodes.Status200OK;
                await HandleUncachedAsync(context, method, rawTarget, started, retried: true);
                return;
            }
            catch (ArtifactNotStoredException e) when (!context.Response.HasStarted)
            {
                // Our disk failed under a streamed download before its first byte went out: the same answer as a
                // small zip whose write failed (OutcomeStatus: StorageFailed), not the upstream's 502.
                RequestLog.StreamFailed(logger, request.Path.Value, kind, request.Query, e.Message);
                status = OutcomeStatus.For(ResolveOutcome.StorageFailed);
                context.Response.Headers.Remove("Content-Length");
                await ErrorResponse.WriteAsync(context, status, e.Message);
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

        RequestLog.Request(logger, method, request.Path.Value, request.Query, kind, CacheValue(cache).ToString(), result.Upstream, status, Elapsed(started));
    }

    /// <summary>
    /// Keeps an answer in the memory cache when it is one of the store's immutable files: a
    /// canonical version's .info/.mod/.zip that the resolver served from the store (a hit, so it
    /// was committed before this request; never a miss being streamed, never a list or @latest,
    /// never a stale answer). An .info or .mod is copied into memory; a zip is kept as an open
    /// handle on its stored file, which the hot path sends with sendfile(2). Null when it is not
    /// cacheable or could not be read whole.
    /// </summary>
    private CachedArtifact? TryRemember(string rawTarget, ModuleRequest request, string kind, ResolveResult result)
    {
        if (result is not { Outcome: ResolveOutcome.Found, Cache: CacheStatus.Hit, Content: { Stale: false, FilePath: { } file } content }
            || request.Kind is not (ArtifactKind.Info or ArtifactKind.Mod or ArtifactKind.Zip)
            || request.Query is not { } version
            || !ModuleVersion.TryParse(version, out _, out _)
            || memory.TryLoad(file, content.Length, request.Kind, content.LastModified, request.Path.Value, version, kind) is not { } entry)
        {
            return null;
        }

        if (!memory.TryAdd(MemoryArtifactCache.KeyFor(rawTarget), entry))
        {
            // Another request cached it first (or it does not fit): this copy still answers this request.
            return entry.File is null ? entry : DisposeAndSkip(entry);
        }

        return entry;
    }

    private static CachedArtifact? DisposeAndSkip(CachedArtifact entry)
    {
        entry.Dispose();
        return null;
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
            await FileBodyWriter.WriteAsync(context, file, content.Length, ct);
            return;
        }

        if (content.OpenStream is { } open)
        {
            await using var stream = open(ct);
            await stream.CopyToAsync(response.Body, 81920, ct);
        }
    }

    private static StringValues CacheValue(CacheStatus cache) => cache switch
    {
        CacheStatus.Hit => HitValue,
        CacheStatus.Miss => MissValue,
        CacheStatus.Stale => StaleValue,
        _ => BypassValue,
    };

    private static string KindName(ArtifactKind kind) => kind switch
    {
        ArtifactKind.List => nameof(ArtifactKind.List),
        ArtifactKind.Latest => nameof(ArtifactKind.Latest),
        ArtifactKind.Info => nameof(ArtifactKind.Info),
        ArtifactKind.Mod => nameof(ArtifactKind.Mod),
        ArtifactKind.Zip => nameof(ArtifactKind.Zip),
        _ => kind.ToString(),
    };

    private static string DefaultReason(ResolveOutcome outcome) => outcome switch
    {
        ResolveOutcome.NotFound => "not found",
        ResolveOutcome.Gone => "gone",
        ResolveOutcome.BadRequest => "bad request",
        ResolveOutcome.Unauthorized => "unauthorized",
        ResolveOutcome.Forbidden => "forbidden",
        ResolveOutcome.Refused => "refused: the upstream's answer failed verification",
        ResolveOutcome.StorageFailed => "Moddock's storage cannot take it",
        _ => "upstream failed",
    };

    private double Elapsed(long started) => time.GetElapsedTime(started).TotalMilliseconds;
}
