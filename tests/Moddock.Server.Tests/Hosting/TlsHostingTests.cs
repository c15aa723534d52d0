using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moddock.Modules;
using Moddock.Proxy;
using Moddock.Server.Configuration;
using Moddock.Server.Hosting;
using Moddock.Server.Tests.Support;
using Moddock.Testing;

namespace Moddock.Server.Tests.Hosting;

/// <summary>
/// The server host with --tls-cert / --tls-key: HTTPS on the listen address with the chain from the PEM file,
/// /healthz and /readyz over it, and the certificate reloaded when its files change.
/// </summary>
public sealed class TlsHostingTests
{
    private static readonly Lazy<(X509Certificate2 Root, X509Certificate2 Intermediate)> Pki = new(() =>
    {
        var root = TlsTestCertificates.CreateCa("moddock hosting test root");
        return (root, TlsTestCertificates.CreateCa("moddock hosting test intermediate", root));
    });

    [Fact]
    public async Task Serve_WithTlsFiles_HealthAndReadyzOverHttpsWithChain()
    {
        var (root, intermediate) = Pki.Value;
        var leaf = TlsTestCertificates.CreateServer(intermediate, commonName: "moddock-hosting");
        var (cert, key) = TlsTestCertificates.WritePem(TestEnvironment.NewTempDir("tls-host"), leaf, intermediate);
        await using var server = await TlsServer.StartAsync(cert, key, TimeProvider.System);
        // Trusts only the root: the handshake must carry the intermediate from the PEM file.
        using var http = TlsTestCertificates.ClientTrusting(root);

        using var healthz = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, server.Url + "/healthz")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        });
        var readyz = await http.GetStringAsync(server.Url + "/readyz");

        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal(HttpVersion.Version20, healthz.Version);
        Assert.Equal("ok\n", await healthz.Content.ReadAsStringAsync());
        using var json = JsonDocument.Parse(readyz);
        var tls = json.RootElement.GetProperty("tls");
        Assert.True(tls.GetProperty("enabled").GetBoolean());
        Assert.Equal("CN=moddock-hosting", tls.GetProperty("subject").GetString());
        Assert.Equal(leaf.NotAfter.ToUniversalTime(), tls.GetProperty("notAfter").GetDateTimeOffset().UtcDateTime);
        Assert.InRange(tls.GetProperty("daysLeft").GetInt32(), 88, 90);
        Assert.False(tls.GetProperty("expired").GetBoolean());
        Assert.DoesNotContain("PRIVATE", readyz, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetFileName(key), readyz, StringComparison.Ordinal);
        using var plain = await http.GetAsync(server.Url.Replace("https:", "http:", StringComparison.Ordinal) + "/healthz");
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode); // plain http is refused with a reason (PlainHttpOnTlsPort)
    }

    [Fact]
    public async Task Serve_WithoutTls_ReadyzSaysTlsOff()
    {
        await using var server = await RunningServer.StartAsync();

        var r = await server.SendAsync("GET", "/readyz");

        using var json = JsonDocument.Parse(r.Body);
        Assert.False(json.RootElement.GetProperty("tls").GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Serve_CertificateFilesReplaced_NewConnectionsGetTheNewCertificateBrokenPairKeepsOld()
    {
        var (root, intermediate) = Pki.Value;
        var dir = TestEnvironment.NewTempDir("tls-reload");
        var (cert, key) = TlsTestCertificates.WritePem(dir, TlsTestCertificates.CreateServer(intermediate, commonName: "first"), intermediate);
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TlsServer.StartAsync(cert, key, clock);
        Assert.Equal("CN=first", await HandshakeSubjectAsync(server.Port, root));

        // A rotated pair, written in place: picked up once the recheck interval has passed on the server's clock.
        TlsTestCertificates.WritePem(dir, TlsTestCertificates.CreateServer(intermediate, commonName: "second"), intermediate);
        Assert.Equal("CN=first", await HandshakeSubjectAsync(server.Port, root));
        clock.Advance(TlsCertificateSource.RecheckInterval);
        Assert.Equal("CN=second", await HandshakeSubjectAsync(server.Port, root));

        // Half a rotation (a new certificate, the key not yet written): the last good pair stays in use.
        var third = TlsTestCertificates.WritePem(TestEnvironment.NewTempDir("tls-reload-third"), TlsTestCertificates.CreateServer(intermediate, commonName: "third"), intermediate);
        File.Copy(third.CertPath, cert, overwrite: true);
        clock.Advance(TlsCertificateSource.RecheckInterval);
        Assert.Equal("CN=second", await HandshakeSubjectAsync(server.Port, root));
        Assert.Contains(server.Logs, l => l.Contains("cannot be used, still serving CN=second", StringComparison.Ordinal));

        File.Copy(third.KeyPath, key, overwrite: true);
        clock.Advance(TlsCertificateSource.RecheckInterval);
        Assert.Equal("CN=third", await HandshakeSubjectAsync(server.Port, root));
    }

    [Fact]
    public async Task Serve_PlainHttpToTheTlsPort_400SayingToUseHttpsAndTlsStillWorks()
    {
        // A client set to GOPROXY=http://host:port for an https listener used to get the connection closed
        // without a byte, which the go command reports as a bare "EOF".
        var (root, intermediate) = Pki.Value;
        var (cert, key) = TlsTestCertificates.WritePem(TestEnvironment.NewTempDir("tls-plain"), TlsTestCertificates.CreateServer(intermediate, commonName: "plain"), intermediate);
        await using var server = await TlsServer.StartAsync(cert, key, TimeProvider.System);

        var plain = await RawHttp.SendAsync(server.Port, "GET", "/example.com/m/@v/list");
        var head = await RawHttp.SendAsync(server.Port, "HEAD", "/healthz");

        Assert.Equal(400, plain.Status);
        Assert.Equal("text/plain; charset=utf-8", plain.Header("Content-Type"));
        Assert.Contains($"https://127.0.0.1:{server.Port}", plain.Text, StringComparison.Ordinal);
        Assert.Equal(plain.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), plain.Header("Content-Length"));
        Assert.Equal(400, head.Status);
        Assert.Empty(head.Body);
        Assert.Equal("CN=plain", await HandshakeSubjectAsync(server.Port, root));
    }

    [Fact]
    public async Task Readyz_CertificateExpiredWhileRunning_503NotReady()
    {
        // Start-up refuses an expired certificate because every go client would fail while /healthz looked fine;
        // one that expires while the server runs must take the instance out of rotation the same way.
        var (root, intermediate) = Pki.Value;
        var leaf = TlsTestCertificates.CreateServer(intermediate, commonName: "expiring");
        var (cert, key) = TlsTestCertificates.WritePem(TestEnvironment.NewTempDir("tls-expiring"), leaf, intermediate);
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await TlsServer.StartAsync(cert, key, clock);
        using var http = TlsTestCertificates.ClientTrusting(root); // validates with the real clock, where the leaf is valid

        using var before = await http.GetAsync(server.Url + "/readyz");
        clock.Advance(leaf.NotAfter.ToUniversalTime() - clock.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(1));
        using var after = await http.GetAsync(server.Url + "/readyz");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.StatusCode);
        using var json = JsonDocument.Parse(await after.Content.ReadAsStringAsync());
        Assert.False(json.RootElement.GetProperty("ready").GetBoolean());
        Assert.True(json.RootElement.GetProperty("tls").GetProperty("expired").GetBoolean());
        Assert.True(json.RootElement.GetProperty("storage").GetProperty("writable").GetBoolean());
    }

    [Fact]
    public async Task Serve_RotatedCertificateNotYetValid_TakenOnceItsValidityStarts()
    {
        // Renewed certificates often start a little in the future (clock skew between the CA and this host). Such a
        // pair is refused while not yet valid; it used to be refused for good, since the files never changed
        // again, so the old certificate stayed in use until it expired.
        var (_, intermediate) = Pki.Value;
        var dir = TestEnvironment.NewTempDir("tls-future");
        var now = DateTimeOffset.UtcNow;
        var (cert, key) = TlsTestCertificates.WritePem(dir, TlsTestCertificates.CreateServer(intermediate, commonName: "current"), intermediate);
        var clock = new ManualTimeProvider(now);
        await using var server = await TlsServer.StartAsync(cert, key, clock);

        TlsTestCertificates.WritePem(dir, TlsTestCertificates.CreateServer(intermediate, commonName: "renewed", notBefore: now.AddHours(1), notAfter: now.AddDays(90)), intermediate);
        clock.Advance(TlsCertificateSource.RecheckInterval);
        var whileFuture = await ServedSubjectAsync(server.Port);
        clock.Advance(TimeSpan.FromHours(1));
        var onceValid = await ServedSubjectAsync(server.Port);

        Assert.Equal("CN=current", whileFuture);
        Assert.Equal("CN=renewed", onceValid);
        Assert.Single(server.Logs, l => l.Contains("cannot be used, still serving CN=current", StringComparison.Ordinal));
    }

    /// <summary>The subject of the certificate the server presents to a new connection, not validated (the test's clock is not the client's).</summary>
    private static async Task<string> ServedSubjectAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1" });
        return ssl.RemoteCertificate!.Subject;
    }

    /// <summary>One fresh TLS connection, verified against <paramref name="root"/>; returns the server certificate's subject.</summary>
    private static async Task<string> HandshakeSubjectAsync(int port, X509Certificate2 root)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var ssl = new SslStream(tcp.GetStream());
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(root);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "127.0.0.1", CertificateChainPolicy = policy });
        return ssl.RemoteCertificate!.Subject;
    }

    private sealed class TlsServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private TlsServer(WebApplication app, int port, LogSink logs)
        {
            _app = app;
            Port = port;
            Logs = logs.Lines;
        }

        public int Port { get; }

        public string Url => $"https://127.0.0.1:{Port}";

        public System.Collections.Concurrent.ConcurrentQueue<string> Logs { get; }

        public static async Task<TlsServer> StartAsync(string cert, string key, TimeProvider clock)
        {
            var port = FreePort.Next();
            var options = TestServeOptions.Create(port, TestEnvironment.NewTempDir("tls-storage"), tlsCert: cert, tlsKey: key);
            var sink = new LogSink();
            var app = ModdockServerHost.Build(
                options,
                s =>
                {
                    s.AddSingleton<IModuleResolver>(new FakeResolver());
                    s.AddSingleton(clock);
                },
                l => l.ClearProviders().AddProvider(sink).SetMinimumLevel(LogLevel.Information));
            await app.StartAsync();
            return new TlsServer(app, port, sink);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
