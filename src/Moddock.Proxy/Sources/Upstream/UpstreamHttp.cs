using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Moddock.Proxy.Sources.Upstream;

/// <summary>
/// One HTTP attempt against one upstream, with its first-byte and body-idle timeouts, and every failure
/// turned into a value whose reason names the cause (refused, timeout, TLS, status and the upstream's text).
/// </summary>
internal sealed class UpstreamHttp(UpstreamEndpoint endpoint, HttpMessageInvoker client, UpstreamOptions options, TimeProvider time)
{
    private const int BufferSize = 64 * 1024;

    /// <summary>GETs <paramref name="relative"/> and copies a 200 body to <paramref name="destination"/>; returns the byte count.</summary>
    public async Task<UpstreamAttempt> GetAsync(string relative, Stream destination, long maxBytes, Action<long?>? onHeaders, CancellationToken ct)
    {
        var uri = new Uri(endpoint.BaseUri, relative);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = endpoint.Authorization;
        using var firstByte = new CancellationTokenSource(options.FirstByteTimeout, time);
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        long copied = 0;
        long? declared = null;
        try
        {
            HttpResponseMessage response;
            using (var sendCts = CancellationTokenSource.CreateLinkedTokenSource(ct, firstByte.Token))
            {
                response = await client.SendAsync(request, sendCts.Token).ConfigureAwait(false);
            }

            using (response)
            {
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return await StatusFailureAsync(response, idle, ct).ConfigureAwait(false);
                }

                declared = response.Content.Headers.ContentLength;
                if (declared > maxBytes)
                {
                    return UpstreamAttempt.Fail(FailureClass.None, SourceFailureKind.Invalid, $"{endpoint.Name}/{relative} is {declared} bytes, over the {maxBytes}-byte limit");
                }

                onHeaders?.Invoke(declared);
                using var readCts = CancellationTokenSource.CreateLinkedTokenSource(ct, idle.Token);
                var body = await response.Content.ReadAsStreamAsync(readCts.Token).ConfigureAwait(false);
                await using (body.ConfigureAwait(false))
                {
                    // Pooled: a fresh 64 KiB array per upstream request was zeroed and then collected for every miss.
                    var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                    try
                    {
                        while (true)
                        {
                            idle.CancelAfter(options.BodyIdleTimeout);
                            var n = await body.ReadAsync(buffer.AsMemory(0, BufferSize), readCts.Token).ConfigureAwait(false);
                            idle.CancelAfter(Timeout.InfiniteTimeSpan);
                            if (n == 0)
                            {
                                break;
                            }

                            copied += n;
                            if (copied > maxBytes)
                            {
                                return UpstreamAttempt.Fail(FailureClass.None, SourceFailureKind.Invalid, $"{endpoint.Name}/{relative} is over the {maxBytes}-byte limit");
                            }

                            await destination.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }

                if (declared is { } d && copied != d)
                {
                    return UpstreamAttempt.Fail(FailureClass.Transient, SourceFailureKind.Truncated, $"{endpoint.Name} sent {copied} of {d} bytes of {relative}");
                }

                return UpstreamAttempt.Ok(copied);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (firstByte.IsCancellationRequested && declared is null && copied == 0)
        {
            return UpstreamAttempt.Fail(FailureClass.Broken, SourceFailureKind.Timeout, $"{endpoint.Name} sent no response within {Seconds(options.FirstByteTimeout)} (first-byte timeout)");
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested)
        {
            return UpstreamAttempt.Fail(FailureClass.Broken, SourceFailureKind.Timeout, $"{endpoint.Name} stalled for {Seconds(options.BodyIdleTimeout)} after {copied} bytes of {relative} (body idle timeout)");
        }
        catch (OperationCanceledException e) when (e.InnerException is TimeoutException)
        {
            return UpstreamAttempt.Fail(FailureClass.Broken, SourceFailureKind.Timeout, $"connecting to {endpoint.BaseUri.Authority} timed out after {Seconds(options.ConnectTimeout)} (connect timeout)");
        }
        catch (HttpRequestException e)
        {
            return Classify(e, relative, copied, declared);
        }
        catch (IOException e)
        {
            return Classify(e, relative, copied, declared);
        }
    }

    private UpstreamAttempt Classify(Exception e, string relative, long copied, long? declared)
    {
        var socket = Find<SocketException>(e);
        var error = (e as HttpRequestException)?.HttpRequestError ?? (e as HttpIOException)?.HttpRequestError;
        if (socket?.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return UpstreamAttempt.Fail(FailureClass.Unreachable, SourceFailureKind.Refused, $"connection refused by {endpoint.BaseUri.Authority} ({endpoint.Name})");
        }

        if (error == HttpRequestError.SecureConnectionError || Find<AuthenticationException>(e) is not null)
        {
            var detail = Find<AuthenticationException>(e)?.InnerException?.Message ?? Find<AuthenticationException>(e)?.Message ?? e.Message;
            return UpstreamAttempt.Fail(FailureClass.Broken, SourceFailureKind.Tls, $"TLS handshake with {endpoint.BaseUri.Authority} failed: {detail}");
        }

        if (error == HttpRequestError.NameResolutionError || socket?.SocketErrorCode is SocketError.HostNotFound or SocketError.TryAgain)
        {
            return UpstreamAttempt.Fail(FailureClass.Broken, SourceFailureKind.Other, $"cannot resolve {endpoint.BaseUri.Host} ({endpoint.Name})");
        }

        if (socket?.SocketErrorCode is SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TimedOut)
        {
            return UpstreamAttempt.Fail(FailureClass.Broken, SourceFailureKind.Other, $"{endpoint.BaseUri.Authority} is unreachable: {socket.Message}");
        }

        if (copied > 0 || declared is not null || error == HttpRequestError.ResponseEnded)
        {
            var of = declared is { } d ? $" of {d}" : "";
            return UpstreamAttempt.Fail(FailureClass.Transient, SourceFailureKind.Truncated, $"{endpoint.Name} closed the connection after {copied}{of} bytes of {relative}");
        }

        return UpstreamAttempt.Fail(FailureClass.Transient, SourceFailureKind.Other, $"connection to {endpoint.BaseUri.Authority} reset: {socket?.Message ?? e.Message}");
    }

    private async Task<UpstreamAttempt> StatusFailureAsync(HttpResponseMessage response, CancellationTokenSource idle, CancellationToken ct)
    {
        var code = (int)response.StatusCode;
        var text = await ReadErrorTextAsync(response, idle, ct).ConfigureAwait(false);
        var reason = $"{endpoint.Name} answered {code} {response.ReasonPhrase}{(text.Length > 0 ? ": " + text : "")}";
        return code switch
        {
            404 => UpstreamAttempt.Fail(FailureClass.None, SourceFailureKind.NotFound, text.Length > 0 ? text : reason, code),
            410 => UpstreamAttempt.Fail(FailureClass.None, SourceFailureKind.Gone, text.Length > 0 ? text : reason, code),
            401 => UpstreamAttempt.Fail(FailureClass.None, SourceFailureKind.AuthRequired, reason, code),
            429 or 502 or 503 or 504 => UpstreamAttempt.Fail(FailureClass.Transient, SourceFailureKind.Status, reason, code),
            >= 500 => UpstreamAttempt.Fail(FailureClass.Broken, SourceFailureKind.Status, reason, code),
            _ => UpstreamAttempt.Fail(FailureClass.None, SourceFailureKind.Status, reason, code),
        };
    }

    // The go command prints at most 8 lines / 648 bytes of an error body, and only of a text/plain one in
    // UTF-8 (cmd/go/internal/web/http.go): an HTML error page is markup, not a reason, so it is not relayed.
    private async Task<string> ReadErrorTextAsync(HttpResponseMessage response, CancellationTokenSource idle, CancellationToken ct)
    {
        var type = response.Content.Headers.ContentType;
        if (!string.Equals(type?.MediaType, "text/plain", StringComparison.OrdinalIgnoreCase)
            || type!.CharSet is { Length: > 0 } charset && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase))
        {
            return "";
        }

        try
        {
            using var readCts = CancellationTokenSource.CreateLinkedTokenSource(ct, idle.Token);
            idle.CancelAfter(options.BodyIdleTimeout);
            var stream = await response.Content.ReadAsStreamAsync(readCts.Token).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var buffer = new byte[648];
                var total = 0;
                int n;
                while (total < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(total), readCts.Token).ConfigureAwait(false)) > 0)
                {
                    total += n;
                }

                var lines = Encoding.UTF8.GetString(buffer, 0, total).Split('\n').Select(l => l.TrimEnd('\r')).TakeWhile(l => l.Length > 0).Take(8);
                return string.Join("\n", lines).Trim();
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return "";
        }
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds >= 1 ? $"{t.TotalSeconds:0.#}s" : $"{t.TotalMilliseconds:0}ms";

    private static T? Find<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T t)
            {
                return t;
            }
        }

        return null;
    }
}
