using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Moddock.Modules;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Sources.Upstream;
using Moddock.Proxy.Tests.Support;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Upstream;

public sealed class UpstreamProxySourceTests
{
    private static readonly TestModule M = new("example.com/Up/mod", "v1.2.3");

    internal static UpstreamOptions Fast() => new()
    {
        // Generous: the first HTTP request of a test process spends a few hundred ms in the JIT.
        FirstByteTimeout = TimeSpan.FromSeconds(5),
        BodyIdleTimeout = TimeSpan.FromSeconds(5),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        RetryMaxDelay = TimeSpan.FromMilliseconds(5),
    };

    internal static UpstreamProxySource Source(string url, bool pipe = false, UpstreamOptions? options = null, TimeProvider? time = null)
    {
        options ??= Fast();
        return new UpstreamProxySource(UpstreamEndpoint.Parse(url), pipe, options, UpstreamClient.Create(options), time ?? TimeProvider.System, () => 1.0, NullLogger.Instance);
    }

    [Fact]
    public async Task Fetch_FileLayoutUpstream_EveryKindWithUnchangedBytes()
    {
        await using var up = FakeUpstream.Files(TestModule.Layout(M));
        var s = Source(up.Url);

        var list = await s.ListAsync(M.Path, default);
        var info = await s.InfoAsync(M.Path, M.Version.Value, default);
        var latest = await s.LatestAsync(M.Path, default);
        var mod = await s.ModAsync(M.Path, M.Version, default);
        using var zip = new MemoryStream();
        var zipped = await s.ZipAsync(M.Path, M.Version, zip, default);

        Assert.Equal(["v1.2.3"], list.Value!);
        Assert.Equal(M.Info, info.Value!.RawJson);
        Assert.Equal("v1.2.3", latest.Value!.Version);
        Assert.Equal(M.Mod, mod.Value);
        Assert.Equal(M.Zip.Length, zipped.Value);
        Assert.Equal(M.Zip, zip.ToArray());
        Assert.Contains("example.com/!up/mod/@v/v1.2.3.zip", up.Paths);
    }

    [Fact]
    public async Task Fetch_UnknownModule_NotFoundWithUpstreamText()
    {
        await using var up = FakeUpstream.Files(TestModule.Layout(M));
        var r = await Source(up.Url).ListAsync(ModulePath.Parse("example.com/none"), default);

        Assert.Equal(SourceFailureKind.NotFound, r.Failure!.Kind);
        Assert.Equal("not found: example.com/none/@v/list", r.Failure.Reason);
    }

    [Fact]
    public async Task Fetch_RefusingUpstream_RefusedNamingTheCause()
    {
        var r = await Source($"http://127.0.0.1:{FreePort.Next()}", pipe: true).ListAsync(M.Path, default);

        Assert.Equal(SourceFailureKind.Refused, r.Failure!.Kind);
        Assert.Contains("connection refused", r.Failure.Reason);
    }

    [Fact]
    public async Task Fetch_HttpsToAPlainHttpServer_TlsFailureNamedAsSuch()
    {
        // A plain-HTTP server answering a TLS ClientHello with an HTTP status line.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            await client.GetStream().WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8.ToArray());
        });

        var r = await Source($"https://127.0.0.1:{port}", pipe: true).ModAsync(M.Path, M.Version, default);
        await server;

        Assert.Equal(SourceFailureKind.Tls, r.Failure!.Kind);
        Assert.StartsWith("TLS handshake with 127.0.0.1:", r.Failure.Reason);
    }

    [Fact]
    public async Task Fetch_AcceptsAndNeverAnswers_FirstByteTimeoutWithoutRetry()
    {
        await using var up = FakeUpstream.Start((_, _) => FakeResponse.Never);
        var options = Fast();
        options.FirstByteTimeout = TimeSpan.FromMilliseconds(300);
        var r = await Source(up.Url, options: options).ModAsync(M.Path, M.Version, default);

        Assert.Equal(SourceFailureKind.Timeout, r.Failure!.Kind);
        Assert.Contains("first-byte timeout", r.Failure.Reason);
        await Resolution.SingleFlightTests.WaitUntilAsync(() => up.Connections >= 1);
        Assert.Equal(1, up.Connections);
    }

    [Fact]
    public async Task Fetch_503ThenRecovers_RetriedUntilSuccess()
    {
        var files = TestModule.Layout(M);
        await using var up = FakeUpstream.Start((path, n) => n <= 2 ? FakeResponse.Text(503, "busy") : new FakeResponse(200, files[path]));

        var r = await Source(up.Url).ModAsync(M.Path, M.Version, default);

        Assert.True(r.IsSuccess, r.ToString());
        Assert.Equal(M.Mod, r.Value);
        Assert.Equal(3, up.Requests);
    }

    [Fact]
    public async Task Fetch_Always500_StatusWithUpstreamTextAndNoRetry()
    {
        await using var up = FakeUpstream.Start((_, _) => FakeResponse.Text(500, "database on fire\n\nsecond paragraph"));

        var r = await Source(up.Url).ModAsync(M.Path, M.Version, default);

        Assert.Equal(SourceFailureKind.Status, r.Failure!.Kind);
        Assert.Equal(500, r.Failure.StatusCode);
        Assert.EndsWith("answered 500 Internal Server Error: database on fire", r.Failure.Reason);
        Assert.Equal(1, up.Requests);
    }

    [Fact]
    public async Task Fetch_404WithHtmlPage_NotFoundNamingTheStatusNotTheMarkup()
    {
        // cmd/go/internal/web prints an error body only when it is text/plain; a web server's HTML
        // error page (python's http.server, nginx) is markup, not a reason for the user.
        await using var up = FakeUpstream.Start((_, _) => new FakeResponse(404, Encoding.UTF8.GetBytes("<!DOCTYPE HTML>\n<html><body><h1>Error response</h1></body></html>\n"), "text/html;charset=utf-8"));

        var r = await Source(up.Url).ListAsync(M.Path, default);

        Assert.Equal(SourceFailureKind.NotFound, r.Failure!.Kind);
        Assert.EndsWith("answered 404 Not Found", r.Failure.Reason);
        Assert.DoesNotContain("<", r.Failure.Reason);
    }

    [Fact]
    public async Task Fetch_500WithHtmlPage_StatusWithoutTheMarkup()
    {
        await using var up = FakeUpstream.Start((_, _) => new FakeResponse(500, Encoding.UTF8.GetBytes("<html><body><h1>500</h1></body></html>"), "text/html"));

        var r = await Source(up.Url).ModAsync(M.Path, M.Version, default);

        Assert.Equal(500, r.Failure!.StatusCode);
        Assert.EndsWith("answered 500 Internal Server Error", r.Failure.Reason);
    }

    [Fact]
    public async Task Fetch_ZipCutShortOnce_RetriedAndDestinationHoldsExactBytes()
    {
        await using var up = FakeUpstream.Start((_, n) => new FakeResponse(200, M.Zip) { CutAfter = n == 1 ? M.Zip.Length / 3 : null });
        using var zip = new MemoryStream();

        var r = await Source(up.Url).ZipAsync(M.Path, M.Version, zip, default);

        Assert.True(r.IsSuccess, r.ToString());
        Assert.Equal(M.Zip, zip.ToArray());
        Assert.Equal(2, up.Requests);
    }

    [Fact]
    public async Task Fetch_ZipAlwaysCutShort_TruncatedAfterThreeAttempts()
    {
        await using var up = FakeUpstream.Start((_, _) => new FakeResponse(200, M.Zip) { CutAfter = 100 });
        using var zip = new MemoryStream();

        var r = await Source(up.Url).ZipAsync(M.Path, M.Version, zip, default);

        Assert.True(SourceFailureKind.Truncated == r.Failure!.Kind, r.Failure.Reason);
        Assert.Contains($"of {M.Zip.Length} bytes", r.Failure.Reason);
        Assert.Equal(3, up.Requests);
    }

    [Fact]
    public async Task Fetch_InfoNotJson_Invalid()
    {
        await using var up = FakeUpstream.Start((_, _) => FakeResponse.Text(200, "<html>captive portal</html>"));

        var r = await Source(up.Url).InfoAsync(M.Path, "v1.2.3", default);

        Assert.Equal(SourceFailureKind.Invalid, r.Failure!.Kind);
    }

    [Fact]
    public async Task CircuitBreaker_DeadMirror_SkippedWithoutRequestsUntilBreakEnds()
    {
        var time = new ManualTimeProvider();
        var options = Fast();
        options.MaxAttempts = 1;
        await using var up = FakeUpstream.Start((_, _) => FakeResponse.Text(500, "down"));
        var s = Source(up.Url, pipe: true, options, time);

        await s.ModAsync(M.Path, M.Version, default);
        await s.ModAsync(M.Path, M.Version, default);
        await Resolution.SingleFlightTests.WaitUntilAsync(() => up.Requests >= 2);
        var skipped = await s.ModAsync(M.Path, M.Version, default);

        Assert.Equal(2, up.Requests);
        Assert.Contains("circuit open", skipped.Failure!.Reason);
        Assert.Equal("open", s.Status.Circuit);

        time.Advance(options.BreakerBreakDuration);
        await s.ModAsync(M.Path, M.Version, default);
        Assert.Equal(3, up.Requests);
    }

    [Fact]
    public async Task CircuitBreaker_NotFoundAnswers_NeverOpenIt()
    {
        var time = new ManualTimeProvider();
        await using var up = FakeUpstream.Files(new Dictionary<string, byte[]>());
        var s = Source(up.Url, pipe: true, time: time);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(SourceFailureKind.NotFound, (await s.ListAsync(M.Path, default)).Failure!.Kind);
        }

        Assert.Equal(5, up.Requests);
        Assert.Equal("closed", s.Status.Circuit);
    }

    [Fact]
    public void Endpoint_UserinfoInUrl_RedactedInNameAndSentAsBasicAuth()
    {
        var e = UpstreamEndpoint.Parse("https://alice:s3cret@mirror.example.com/go/");

        Assert.Equal("https://alice:xxxxx@mirror.example.com/go", e.Name);
        Assert.Equal("https://mirror.example.com/go/", e.BaseUri.ToString());
        Assert.Equal("Basic", e.Authorization!.Scheme);
        Assert.Equal("alice:s3cret", Encoding.UTF8.GetString(Convert.FromBase64String(e.Authorization.Parameter!)));
        Assert.DoesNotContain("s3cret", UpstreamEndpoint.Redact("https://alice:s3cret@mirror.example.com/go/"));
    }

    [Theory]
    [InlineData(FailureClass.Transient, true, true)]
    [InlineData(FailureClass.Transient, false, true)]
    [InlineData(FailureClass.Unreachable, false, true)]
    [InlineData(FailureClass.Unreachable, true, false)]
    [InlineData(FailureClass.Broken, false, false)]
    [InlineData(FailureClass.None, false, false)]
    internal void ShouldRetry_ByFailureClassAndAlternative(FailureClass cls, bool hasFallback, bool expected)
    {
        Assert.Equal(expected, UpstreamResilience.ShouldRetry(cls, hasFallback));
    }

    [Fact]
    public void FullJitter_UniformUpToCappedExponential()
    {
        var o = new UpstreamOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(100), RetryMaxDelay = TimeSpan.FromMilliseconds(1000) };

        Assert.Equal(TimeSpan.FromMilliseconds(100), UpstreamResilience.FullJitter(o, 0, () => 1.0));
        Assert.Equal(TimeSpan.FromMilliseconds(100), UpstreamResilience.FullJitter(o, 1, () => 0.5));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), UpstreamResilience.FullJitter(o, 10, () => 1.0));
        Assert.Equal(TimeSpan.Zero, UpstreamResilience.FullJitter(o, 3, () => 0.0));
    }
}
