using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Moddock.Doctor.Probes.Net;
using Moddock.Doctor.Probes.Tls;
using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Probes;

/// <summary>
/// The DNS, TCP, CONNECT and TLS layers of one endpoint, each a check with its timing. A layer that
/// fails ends the walk: the deeper layers would only repeat the same root cause.
/// </summary>
internal static class NetworkLayers
{
    public static async Task<(bool Ok, Stream? Stream)> ConnectAsync(ProbeTarget target, ProbeContext ctx, List<DoctorCheck> checks, CancellationToken ct)
    {
        var url = target.BaseUrl;
        var proxy = ctx.HttpProxy.ProxyFor(url);
        var host = proxy?.Host ?? url.Host;
        var port = proxy?.Port ?? url.Port;
        var where = proxy is null ? target.Where : Where.HttpProxy;
        var role = proxy is null ? target.Label : "HTTP proxy " + Redacted(proxy);

        // DNS
        ctx.Progress?.Invoke($"resolving {host}");
        var start = ctx.Time.GetTimestamp();
        var resolution = await ctx.Resolver.ResolveAsync(host, ctx.Remaining, ct).ConfigureAwait(false);
        var dnsMs = ctx.ElapsedMs(start);
        if (resolution.Cause is { } dnsCause)
        {
            checks.Add(new DoctorCheck($"dns {host}", role, where, CheckStatus.Fail, dnsCause, resolution.Detail, Fix(dnsCause, where, host, url), dnsMs)
            {
                Details = [$"resolvers: {string.Join(", ", ctx.Resolver.Conf.Servers)} ({ctx.Resolver.Conf.Source})"],
            });
            return (false, null);
        }

        checks.Add(new DoctorCheck($"dns {host}", role, where, CheckStatus.Ok, null, resolution.Detail, null, dnsMs) { Details = [$"via {resolution.Via}"] });

        // TCP: every address, like Go's dialer would try them (IPv6 and IPv4 reported apart).
        ctx.Progress?.Invoke($"connecting to {host}:{port}");
        var addresses = resolution.Addresses.Take(6).ToList();
        var attempts = addresses.Select(a => ConnectOneAsync(a, port, ctx, ct)).ToList();
        var results = await Task.WhenAll(attempts).ConfigureAwait(false);
        Socket? chosen = null;
        for (var i = 0; i < results.Length; i++)
        {
            var (socket, cause, text, ms) = results[i];
            var family = GoHttpProxy.IsIPv6(addresses[i]) ? "IPv6" : "IPv4";
            var ep = new IPEndPoint(addresses[i], port).ToString();
            if (socket is not null)
            {
                checks.Add(new DoctorCheck($"tcp {ep}", role, where, CheckStatus.Ok, null, $"connected ({family})", null, ms));
                if (chosen is null)
                {
                    chosen = socket;
                }
                else
                {
                    socket.Dispose();
                }
            }
            else
            {
                var anyOk = results.Any(r => r.Socket is not null);
                var c = proxy is not null && cause is CauseIds.TcpRefused or CauseIds.TcpTimeout or CauseIds.TcpUnreachable ? CauseIds.ProxyRefused : cause!;
                checks.Add(new DoctorCheck($"tcp {ep}", role, where, anyOk ? CheckStatus.Warn : CheckStatus.Fail, c, $"dial tcp {ep}: {text} ({family})" + (anyOk ? "; another address works" : string.Empty),
                    Fix(c, where, $"{host}:{port}", url, addresses[i].ToString()), ms));
            }
        }

        if (chosen is null)
        {
            return (false, null);
        }

        if (url.Scheme != "https")
        {
            chosen.Dispose();
            return (true, null);
        }

        Stream stream;
        try
        {
            stream = new NetworkStream(chosen, ownsSocket: true);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            chosen.Dispose();
            var (cause, text) = TcpFailure.FromException(e) ?? (CauseIds.TcpReset, e.Message);
            checks.Add(new DoctorCheck($"tcp {host}:{port}", role, where, CheckStatus.Fail, cause, text + " (right after connecting)", Fix(cause, where, $"{host}:{port}", url), 0));
            return (false, null);
        }

        if (proxy is not null)
        {
            var tunnel = await TunnelAsync(stream, proxy, url, ctx, checks, ct).ConfigureAwait(false);
            if (!tunnel)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                return (false, null);
            }
        }

        if (url.Scheme == "https")
        {
            var tls = await HandshakeAsync(stream, target, ctx, checks, ct).ConfigureAwait(false);
            if (tls is null)
            {
                return (false, null);
            }

            stream = tls;
        }

        return (true, stream);
    }

    private static async Task<(Socket? Socket, string? Cause, string Text, double Ms)> ConnectOneAsync(IPAddress address, int port, ProbeContext ctx, CancellationToken ct)
    {
        var start = ctx.Time.GetTimestamp();
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Min(AtLeast(ctx.Remaining), TimeSpan.FromSeconds(30)));
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), cts.Token).ConfigureAwait(false);
            return (socket, null, "connected", ctx.ElapsedMs(start));
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            return (null, CauseIds.TcpTimeout, "i/o timeout", ctx.ElapsedMs(start));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            var (cause, text) = TcpFailure.Classify(e.SocketErrorCode);
            return (null, cause, text, ctx.ElapsedMs(start));
        }
    }

    /// <summary>CONNECT host:port through the HTTP(S)_PROXY, as net/http does for https targets.</summary>
    private static async Task<bool> TunnelAsync(Stream stream, Uri proxy, Uri url, ProbeContext ctx, List<DoctorCheck> checks, CancellationToken ct)
    {
        ctx.Progress?.Invoke($"CONNECT {url.Authority} via {proxy.Host}");
        var start = ctx.Time.GetTimestamp();
        var name = $"proxy CONNECT {url.Host}:{url.Port}";
        var label = "HTTP proxy " + Redacted(proxy);
        var authority = $"{url.IdnHost}:{url.Port}";
        var request = new StringBuilder().Append("CONNECT ").Append(authority).Append(" HTTP/1.1\r\nHost: ").Append(authority).Append("\r\nUser-Agent: Go-http-client/1.1\r\n");
        if (GoHttpProxy.CredentialsOf(proxy) is { } cred)
        {
            request.Append("Proxy-Authorization: Basic ").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(cred.UserName + ":" + cred.Password))).Append("\r\n");
        }

        request.Append("\r\n");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(AtLeast(ctx.Remaining));
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), cts.Token).ConfigureAwait(false);
            var head = await ReadHeadAsync(stream, cts.Token).ConfigureAwait(false);
            var statusLine = head.Split("\r\n")[0];
            var parts = statusLine.Split(' ', 3);
            var code = parts.Length > 1 && int.TryParse(parts[1], out var c) ? c : 0;
            var ms = ctx.ElapsedMs(start);
            if (code == 200)
            {
                checks.Add(new DoctorCheck(name, label, Where.HttpProxy, CheckStatus.Ok, null, "tunnel established: " + statusLine, null, ms));
                return true;
            }

            var cause = code switch
            {
                407 => CauseIds.ProxyAuthRequired,
                403 => CauseIds.ProxyForbidden,
                _ => CauseIds.ProxyFailed,
            };
            checks.Add(new DoctorCheck(name, label, Where.HttpProxy, CheckStatus.Fail, cause, $"the proxy answered CONNECT with \"{statusLine}\"", Fix(cause, Where.HttpProxy, ForbiddenFixHost(cause, proxy, url), url), ms));
            return false;
        }
        catch (OperationCanceledException)
        {
            checks.Add(new DoctorCheck(name, label, Where.HttpProxy, CheckStatus.Fail, CauseIds.ProxyFailed, "the proxy did not answer CONNECT in time", Fix(CauseIds.ProxyFailed, Where.HttpProxy, proxy.Authority, url), ctx.ElapsedMs(start)));
            return false;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            checks.Add(new DoctorCheck(name, label, Where.HttpProxy, CheckStatus.Fail, CauseIds.ProxyFailed, "proxyconnect tcp: " + (TcpFailure.FromException(e)?.Text ?? e.Message), Fix(CauseIds.ProxyFailed, Where.HttpProxy, proxy.Authority, url), ctx.ElapsedMs(start)));
            return false;
        }
    }

    private static async Task<string> ReadHeadAsync(Stream stream, CancellationToken ct)
    {
        var buf = new byte[1];
        var sb = new StringBuilder();
        while (sb.Length < 16 * 1024)
        {
            var n = await stream.ReadAsync(buf, ct).ConfigureAwait(false);
            if (n == 0)
            {
                throw new EndOfStreamException("unexpected EOF");
            }

            sb.Append((char)buf[0]);
            if (sb.Length >= 4 && sb[^1] == '\n' && sb[^2] == '\r' && sb[^3] == '\n' && sb[^4] == '\r')
            {
                break;
            }
        }

        return sb.ToString();
    }

    private static async Task<Stream?> HandshakeAsync(Stream inner, ProbeTarget target, ProbeContext ctx, List<DoctorCheck> checks, CancellationToken ct)
    {
        var url = target.BaseUrl;
        ctx.Progress?.Invoke($"TLS handshake with {url.Host}");
        var start = ctx.Time.GetTimestamp();
        var recorder = new RecordingStream(inner);
        var ssl = new SslStream(recorder, leaveInnerStreamOpen: false);
        X509Certificate2? leaf = null;
        X509Chain? presented = null;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = url.IdnHost,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, cert, chain, _) =>
            {
                leaf = cert is null ? null : new X509Certificate2(cert);
                if (chain is not null)
                {
                    presented = new X509Chain();
                    foreach (var el in chain.ChainElements)
                    {
                        presented.ChainPolicy.ExtraStore.Add(el.Certificate);
                    }
                }

                return true; // verified below the way Go verifies, against Go's roots
            },
        };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Min(AtLeast(ctx.Remaining), TimeSpan.FromSeconds(10)));
        var name = $"tls {url.Host}:{url.Port}";
        try
        {
            await ssl.AuthenticateAsClientAsync(options, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            checks.Add(new DoctorCheck(name, target.Label, target.Where, CheckStatus.Fail, CauseIds.TlsHandshakeTimeout,
                $"net/http: TLS handshake timeout: TCP connected, but the server sent no handshake reply in {ctx.ElapsedMs(start) / 1000:0.0}s", Fix(CauseIds.TlsHandshakeTimeout, target.Where, url.Authority, url), ctx.ElapsedMs(start)));
            return null;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var head = recorder.Head;
            var (cause, text) = head.Length >= 5 && Encoding.ASCII.GetString(head, 0, 5) == "HTTP/"
                ? (CauseIds.TlsProtocol, "http: server gave HTTP response to HTTPS client")
                : head.Length > 0 && head[0] is not 0x16 and not 0x15
                    ? (CauseIds.TlsProtocol, "tls: first record does not look like a TLS handshake")
                    : TcpFailure.FromException(e) is { } tcp && head.Length == 0
                        ? tcp
                        : (CauseIds.TlsProtocol, "tls: handshake failure: " + Flatten(e));
            checks.Add(new DoctorCheck(name, target.Label, target.Where, CheckStatus.Fail, cause, text, Fix(cause, target.Where, url.Authority, url), ctx.ElapsedMs(start)));
            return null;
        }

        var ms = ctx.ElapsedMs(start);
        if (leaf is null)
        {
            checks.Add(new DoctorCheck(name, target.Label, target.Where, CheckStatus.Fail, CauseIds.TlsProtocol, "the server sent no certificate", Fix(CauseIds.TlsProtocol, target.Where, url.Authority, url), ms));
            await ssl.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        var verdict = CertificateVerifier.Verify(leaf, presented, url.Host, ctx.Trust, ctx.Time.GetUtcNow());
        var details = new List<string>
        {
            $"protocol {ssl.SslProtocol}, cipher {ssl.NegotiatedCipherSuite}",
            $"subject {verdict.Subject}",
            $"issuer {verdict.Issuer}",
            $"valid {verdict.NotBefore:yyyy-MM-dd} to {verdict.NotAfter:yyyy-MM-dd}",
            $"trusted roots: {string.Join(", ", ctx.Trust.Sources.DefaultIfEmpty("none"))}",
        };
        if (verdict.Cause is { } tlsCause)
        {
            checks.Add(new DoctorCheck(name, target.Label, target.Where, CheckStatus.Fail, tlsCause, verdict.Detail,
                tlsCause == CauseIds.TlsExpired && ctx.Time.GetUtcNow() > verdict.NotAfter
                    ? FixSuggestions.ExpiredServerCertificate(url.Authority)
                    : Fix(tlsCause, ctx.Trust.Roots.Count == 0 ? Where.Local : target.Where, url.Authority, url), ms) { Details = details });
            await ssl.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        checks.Add(new DoctorCheck(name, target.Label, target.Where, CheckStatus.Ok, null, $"handshake in {ms:0} ms, {verdict.Detail}", null, ms) { Details = details });
        return ssl;
    }

    internal static string Fix(string cause, string? where, string host, Uri url, string? address = null) =>
        FixSuggestions.For(cause, where, new FixContext(host, null, url.GetLeftPart(UriPartial.Path).TrimEnd('/'), address));

    // A proxy that forbids a destination is bypassed for that destination (NO_PROXY names where the request
    // goes); every other proxy fix names the proxy itself.
    internal static string ForbiddenFixHost(string cause, Uri proxy, Uri destination) =>
        cause == CauseIds.ProxyForbidden ? destination.Host : proxy.Authority;

    internal static string Redacted(Uri u) => string.IsNullOrEmpty(u.UserInfo) ? u.GetLeftPart(UriPartial.Authority) : SecretRedactor.Redact(u.GetLeftPart(UriPartial.Authority));

    internal static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>A positive timeout even when the deadline has passed (a zero timeout is invalid for sockets and HTTP).</summary>
    internal static TimeSpan AtLeast(TimeSpan t) => t > TimeSpan.FromMilliseconds(1) ? t : TimeSpan.FromMilliseconds(1);

    private static string Flatten(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
        {
            parts.Add(x.Message);
        }

        return string.Join(": ", parts.Distinct());
    }
}
