using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using Moddock.Doctor.Probes.Net;
using Moddock.Doctor.Probes.Tls;
using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Probes;

/// <summary>
/// The protocol request itself (`@v/list`, `/sumdb/NAME/supported`, …) as the go command makes it:
/// Go's User-Agent, gzip, HTTP(S)_PROXY with NO_PROXY, redirects followed up to 10 hops but never from
/// https to http, and the status read with GOPROXY semantics (404/410 mean "not here, try the next").
/// </summary>
internal static class HttpLayer
{
    public sealed record HttpOutcome(DoctorCheck Check, int? Status, DateTimeOffset? Date, string? Body);

    public static async Task<HttpOutcome> GetAsync(ProbeTarget target, Uri url, ProbeContext ctx, CancellationToken ct)
    {
        ctx.Progress?.Invoke($"GET {NetworkLayers.Redacted(url)}{url.AbsolutePath}");
        var start = ctx.Time.GetTimestamp();
        var name = "http GET " + Shorten(url);
        var proxy = ctx.HttpProxy;
        using var handler = new System.Net.Http.SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = true,
            Proxy = proxy,
            AutomaticDecompression = DecompressionMethods.GZip,
            ConnectTimeout = NetworkLayers.Min(NetworkLayers.AtLeast(ctx.Remaining), TimeSpan.FromSeconds(30)),
            UseCookies = false,
        };
        if (proxy.HttpsProxy is { } hp && GoHttpProxy.CredentialsOf(hp) is { } c1)
        {
            handler.DefaultProxyCredentials = c1;
        }
        else if (proxy.HttpProxy is { } p && GoHttpProxy.CredentialsOf(p) is { } c2)
        {
            handler.DefaultProxyCredentials = c2;
        }

        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, chain, _) =>
            cert is not null && CertificateVerifier.Verify(new X509Certificate2(cert), chain, url.Host, ctx.Trust, ctx.Time.GetUtcNow()).Cause is null;
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(NetworkLayers.AtLeast(ctx.Remaining));
        var current = url;
        var hops = new List<string>();
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Go-http-client", "1.1"));
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
                var code = (int)response.StatusCode;
                var date = response.Headers.Date;
                if (code is >= 300 and < 400 && response.Headers.Location is { } loc)
                {
                    var next = loc.IsAbsoluteUri ? loc : new Uri(current, loc);
                    hops.Add($"{code} → {NetworkLayers.Redacted(next)}{next.AbsolutePath}");
                    if (hop >= 9)
                    {
                        return Fail(CauseIds.HttpServerError, "stopped after 10 redirects", code, date);
                    }

                    if (current.Scheme == "https" && next.Scheme == "http")
                    {
                        return Fail(CauseIds.TlsProtocol, $"redirect from https to http ({next.Host}) refused, like the go command", code, date);
                    }

                    current = next;
                    continue;
                }

                var body = await ReadBodyAsync(response, cts.Token).ConfigureAwait(false);
                var ms = ctx.ElapsedMs(start);
                var statusText = $"{code} {response.ReasonPhrase}";
                if (code == 200)
                {
                    var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
                    var what = target.RequestPath?.EndsWith("@v/list", StringComparison.Ordinal) == true ? $"{lines} version(s) listed" : $"{body.Length} bytes";
                    return new HttpOutcome(new DoctorCheck(name, target.Label, target.Where, CheckStatus.Ok, null, $"{statusText}: {what}", null, ms) { Details = hops }, code, date, body);
                }

                var server = FirstLines(body);
                var detail = $"reading {SecretRedactor.Redact(current.ToString())}: {statusText}" + (server.Length > 0 ? $" (server response: {server})" : string.Empty);
                if (code == 407)
                {
                    return Fail(CauseIds.ProxyAuthRequired, detail, code, date, Where.HttpProxy);
                }

                var cause = code switch
                {
                    404 or 410 => CauseIds.HttpNotFound,
                    401 or 403 => CauseIds.HttpForbidden,
                    _ => CauseIds.HttpServerError,
                };
                return Fail(cause, detail, code, date, body: body);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Fail(CauseIds.HttpTimeout, $"connected, but no response to GET {current.AbsolutePath} within {ctx.ElapsedMs(start) / 1000:0.0}s (the go command would wait forever)", null, null);
        }
        catch (HttpRequestException e)
        {
            var msg = e.Message;
            if (msg.Contains("407", StringComparison.Ordinal))
            {
                return Fail(CauseIds.ProxyAuthRequired, "Proxy Authentication Required: " + msg, 407, null, Where.HttpProxy);
            }

            if (e.HttpRequestError == HttpRequestError.ProxyTunnelError)
            {
                return Fail(msg.Contains("403", StringComparison.Ordinal) ? CauseIds.ProxyForbidden : CauseIds.ProxyFailed, msg, null, null, Where.HttpProxy);
            }

            if (e.HttpRequestError == HttpRequestError.SecureConnectionError)
            {
                return Fail(CauseIds.TlsProtocol, "TLS: " + Flatten(e), null, null);
            }

            if (TcpFailure.FromException(e) is { } tcp)
            {
                return Fail(tcp.Cause, $"Get \"{SecretRedactor.Redact(current.ToString())}\": {tcp.Text}", null, null);
            }

            return Fail(CauseIds.HttpStreamError, Flatten(e), null, null);
        }
        catch (IOException e)
        {
            var tcp = TcpFailure.FromException(e);
            return Fail(tcp?.Cause ?? CauseIds.HttpStreamError, tcp?.Text ?? Flatten(e), null, null);
        }

        HttpOutcome Fail(string cause, string detail, int? code, DateTimeOffset? date, string? where = null, string? body = null)
        {
            var w = where ?? target.Where;
            var fallback = cause == CauseIds.HttpNotFound ? target.FallsBackOnNotFound || target.FallsBackOnAnyError : target.FallsBackOnAnyError;
            var status = fallback ? CheckStatus.Warn : CheckStatus.Fail;
            if (fallback)
            {
                detail += "; the go command goes on to the next GOPROXY entry";
            }

            var fixHost = w == Where.HttpProxy && proxy.ProxyFor(current) is { } via ? NetworkLayers.ForbiddenFixHost(cause, via, current) : current.Authority;
            var fix = FixSuggestions.For(cause, w, new FixContext(fixHost, target.Module, target.BaseUrl.ToString().TrimEnd('/'), null));
            return new HttpOutcome(new DoctorCheck(name, target.Label, w, status, cause, detail, fix, ctx.ElapsedMs(start)) { Details = hops }, code, date, body);
        }
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var s = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var reader = new StreamReader(s);
        var buf = new char[64 * 1024];
        var sb = new System.Text.StringBuilder();
        int n;
        while ((n = await reader.ReadAsync(buf, ct).ConfigureAwait(false)) > 0)
        {
            if (sb.Length < 1024 * 1024)
            {
                sb.Append(buf, 0, n);
            }
        }

        return sb.ToString();
    }

    /// <summary>What the go command shows of an error body: up to 8 lines, stopping at the first blank line.</summary>
    private static string FirstLines(string body)
    {
        var lines = body.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n').TakeWhile(l => l.Length > 0).Take(8);
        var text = string.Join(" / ", lines);
        return SecretRedactor.Redact(text.Length > 300 ? text[..300] + "…" : text);
    }

    private static string Shorten(Uri url)
    {
        var s = NetworkLayers.Redacted(url) + url.AbsolutePath;
        return s.Length > 120 ? s[..117] + "…" : s;
    }

    private static string Flatten(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
        {
            parts.Add(x.Message);
        }

        return string.Join(": ", parts.Distinct());
    }

    internal static string FormatSkew(TimeSpan skew) =>
        (skew < TimeSpan.Zero ? "-" : "+") + skew.Duration().TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + "s";
}
