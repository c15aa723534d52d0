using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using System.Text;
using Moddock.Proxy;
using Moddock.Server.HotPath;
using Moddock.Server.Tests.Support;

namespace Moddock.Server.Tests.HotPath;

/// <summary>
/// The hot path in front of the real Kestrel host: cache hits answered on the socket (zips with
/// sendfile), everything else handed to Kestrel on the same connection. The fake resolver answers
/// every request as a store hit from a file named after its version.
/// </summary>
public sealed class HotConnectionTests
{
    private const string Zip = "/example.com/m/@v/v1.0.0.zip";
    private const string Info = "/example.com/m/@v/v1.0.0.info";

    private static async Task<(RunningServer Server, byte[] Zip, byte[] Info)> StartWithArtifactsAsync(int zipBytes = 1_100_000, HotPathLimits? limits = null)
    {
        var server = await RunningServer.StartAsync(hotLimits: limits);
        var zip = new byte[zipBytes];
        new Random(11).NextBytes(zip);
        var info = Encoding.UTF8.GetBytes("{\"Version\":\"v1.0.0\",\"Time\":\"2024-01-02T03:04:05Z\"}");
        var files = new Dictionary<ArtifactKind, string>
        {
            [ArtifactKind.Zip] = Path.Combine(server.Storage, "zip"),
            [ArtifactKind.Info] = Path.Combine(server.Storage, "info"),
        };
        File.WriteAllBytes(files[ArtifactKind.Zip], zip);
        File.WriteAllBytes(files[ArtifactKind.Info], info);
        server.Resolver.Answer = r => files.TryGetValue(r.Kind, out var f) && r.Query == "v1.0.0"
            ? ResolveResult.Found(new ArtifactContent(f, new FileInfo(f).Length, "x", DateTimeOffset.UnixEpoch, false), CacheStatus.Hit)
            : ResolveResult.Failed(ResolveOutcome.NotFound, "no such version");
        return (server, zip, info);
    }

    private static void AssertSameAnswer(RawResponse kestrel, RawResponse hot)
    {
        Assert.Equal(kestrel.Status, hot.Status);
        Assert.Equal(kestrel.Body, hot.Body);
        Assert.Equal(kestrel.Headers.Keys.Order(), hot.Headers.Keys.Order());
        foreach (var (name, value) in kestrel.Headers.Where(h => h.Key != "date"))
        {
            Assert.Equal(value, hot.Header(name));
        }

        Assert.True(DateTimeOffset.TryParseExact(hot.Header("Date"), "r", CultureInfo.InvariantCulture, DateTimeStyles.None, out _), hot.Header("Date"));
    }

    [Theory]
    [InlineData(Zip)]
    [InlineData(Info)]
    public async Task Get_CachedArtifact_AnsweredOnTheSocketWithKestrelsHeadersAndBytes(string target)
    {
        var (server, _, _) = await StartWithArtifactsAsync();
        await using var _server = server;

        var kestrel = await server.SendAsync("GET", target); // a store hit through Kestrel fills the cache
        Assert.Equal(0, server.Hot.Served);
        var hot = await server.SendAsync("GET", target);

        Assert.Equal(1, server.Hot.Served);
        Assert.Single(server.Resolver.Requests);
        AssertSameAnswer(kestrel, hot);
        Assert.Equal("close", hot.Header("Connection"));
    }

    [Fact]
    public async Task Get_KeepAliveMixOfHitsAndAMiss_EveryAnswerRightAndInOrder()
    {
        var (server, zip, info) = await StartWithArtifactsAsync();
        await using var _server = server;
        await server.SendAsync("GET", Zip);
        await server.SendAsync("GET", Info);
        var handedOver = server.Hot.HandedOver;
        var forwarded = server.Hot.Forwarded; // the two fills above, each on its own connection
        using var client = await KeepAliveClient.ConnectAsync(server.Port);

        var answers = new List<RawResponse>();
        foreach (var target in new[] { Zip, Info, Zip, "/example.com/m/@v/v9.9.9.info", Info, Zip })
        {
            await client.SendAsync(KeepAliveClient.Request("GET", target, server.Port));
            answers.Add(await client.ReadResponseAsync());
        }

        Assert.Equal([200, 200, 200, 404, 200, 200], answers.Select(a => a.Status));
        Assert.Equal(zip, answers[0].Body);
        Assert.Equal(info, answers[1].Body);
        Assert.Equal(zip, answers[2].Body);
        Assert.Contains("no such version", answers[3].Text, StringComparison.Ordinal);
        Assert.Equal(info, answers[4].Body);
        Assert.Equal(zip, answers[5].Body);

        // Every hit on the socket, before and after the miss, which Kestrel answered on the same connection.
        Assert.Equal(5, server.Hot.Served);
        Assert.Equal(forwarded + 1, server.Hot.Forwarded);
        Assert.Equal(handedOver, server.Hot.HandedOver);
    }

    [Fact]
    public async Task Get_PipelinedRequestsInOneWrite_AnsweredInOrder()
    {
        var (server, zip, info) = await StartWithArtifactsAsync();
        await using var _server = server;
        await server.SendAsync("GET", Zip);
        await server.SendAsync("GET", Info);
        using var client = await KeepAliveClient.ConnectAsync(server.Port);

        await client.SendAsync(
            KeepAliveClient.Request("GET", Info, server.Port)
            + KeepAliveClient.Request("HEAD", Zip, server.Port)
            + KeepAliveClient.Request("GET", Zip, server.Port)
            + KeepAliveClient.Request("GET", Info + "?go-get=1", server.Port, "Connection: close\r\n"));
        var first = await client.ReadResponseAsync();
        var head = await client.ReadResponseAsync(isHead: true);
        var third = await client.ReadResponseAsync();
        var fourth = await client.ReadResponseAsync();

        Assert.Equal(info, first.Body);
        Assert.Equal(zip.Length.ToString(CultureInfo.InvariantCulture), head.Header("Content-Length"));
        Assert.Equal(zip, third.Body);
        Assert.Equal(info, fourth.Body);
        Assert.Equal("close", fourth.Header("Connection"));
        Assert.True(await client.ClosedByServerAsync());
        Assert.Equal(4, server.Hot.Served);
    }

    public static TheoryData<string, string> KestrelRequests() => new()
    {
        { "HTTP/1.0", "GET " + Zip + " HTTP/1.0\r\nHost: h\r\n\r\n" },
        { "Range", "GET " + Zip + " HTTP/1.1\r\nHost: h\r\nRange: bytes=0-9\r\n\r\n" },
        { "If-None-Match", "GET " + Zip + " HTTP/1.1\r\nHost: h\r\nIf-None-Match: \"x\"\r\n\r\n" },
        { "POST", "POST " + Zip + " HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n" },
        { "no Host", "GET " + Zip + " HTTP/1.1\r\nUser-Agent: x\r\n\r\n" },
        { "two Hosts", "GET " + Zip + " HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" },
        { "Host a:b", "GET " + Zip + " HTTP/1.1\r\nHost: a:b\r\n\r\n" },
        { "Host [::1]x", "GET " + Zip + " HTTP/1.1\r\nHost: [::1]x\r\n\r\n" },
        { "Host :80", "GET " + Zip + " HTTP/1.1\r\nHost: :80\r\n\r\n" },
        { "bare LF line ends", "GET " + Zip + " HTTP/1.1\nHost: h\n\n" },
    };

    [Theory]
    [MemberData(nameof(KestrelRequests))]
    public async Task Get_RequestOutsideTheGrammar_KestrelAnswersItAsWithoutTheHotPath(string why, string raw)
    {
        var (server, _, _) = await StartWithArtifactsAsync();
        await using var _server = server;
        await server.SendAsync("GET", Zip);
        var cold = await RunningServer.StartAsync(memoryCacheBytes: 0); // no cache, so no hot path at all
        await using var _cold = cold;
        cold.Resolver.Answer = server.Resolver.Answer;

        using var hotClient = await KeepAliveClient.ConnectAsync(server.Port);
        using var coldClient = await KeepAliveClient.ConnectAsync(cold.Port);
        await hotClient.SendAsync(raw);
        await coldClient.SendAsync(raw);
        var viaHot = await hotClient.ReadResponseAsync();
        var viaKestrel = await coldClient.ReadResponseAsync();

        Assert.True(server.Hot.Served == 0, why);
        Assert.Equal(viaKestrel.Status, viaHot.Status);
        Assert.Equal(viaKestrel.Body, viaHot.Body);
    }

    [Fact]
    public async Task Get_ManyConnectionsAtOnce_EveryZipByteExact()
    {
        var (server, zip, _) = await StartWithArtifactsAsync();
        await using var _server = server;
        await server.SendAsync("GET", Zip);

        var bodies = await Task.WhenAll(Enumerable.Range(0, 24).Select(async _ =>
        {
            using var client = await KeepAliveClient.ConnectAsync(server.Port);
            var got = new List<byte[]>();
            for (var i = 0; i < 3; i++)
            {
                await client.SendAsync(KeepAliveClient.Request("GET", Zip, server.Port));
                got.Add((await client.ReadResponseAsync()).Body);
            }

            return got;
        }));

        Assert.All(bodies.SelectMany(b => b), b => Assert.Equal(zip, b));

        // The count is taken after each send completes, which can be just after the client read the last byte.
        for (var wait = 0; server.Hot.Served < 72 && wait < 100; wait++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(72, server.Hot.Served);
    }

    [Fact]
    public async Task Connection_IdlePastKeepAlive_ClosedByServer()
    {
        var limits = new HotPathLimits { KeepAlive = TimeSpan.FromMilliseconds(200) };
        var (server, _, _) = await StartWithArtifactsAsync(limits: limits);
        await using var _server = server;
        await server.SendAsync("GET", Info);
        var handedOver = server.Hot.HandedOver;
        using var client = await KeepAliveClient.ConnectAsync(server.Port);
        await client.SendAsync(KeepAliveClient.Request("GET", Info, server.Port));
        await client.ReadResponseAsync();

        Assert.True(await client.ClosedByServerAsync());
        Assert.Equal(1, server.Hot.Served);
        Assert.Equal(handedOver, server.Hot.HandedOver); // closed by the hot path, not left to Kestrel
    }

    [Fact]
    public async Task Connection_HeadStartedButNeverFinished_ClosedByServer()
    {
        var limits = new HotPathLimits { RequestHeaders = TimeSpan.FromMilliseconds(200) };
        var (server, _, _) = await StartWithArtifactsAsync(limits: limits);
        await using var _server = server;
        using var client = await KeepAliveClient.ConnectAsync(server.Port);

        await client.SendAsync("GET " + Info + " HTTP/1.1\r\nHost: h\r\n");

        Assert.True(await client.ClosedByServerAsync());
    }

    [Fact]
    public async Task Get_ClientNotReadingPastTheSendLimit_ConnectionCutNotHung()
    {
        // A limit of zero: a send still running at the next heartbeat (≤ 1 s) is cut, as Kestrel's
        // MinResponseDataRate cuts a reader that stalls. With a 4 KiB receive buffer, 32 MiB cannot fit in
        // the socket buffers (8 times Linux's default tcp_wmem maximum), so the send is still running
        // when the limit strikes.
        var limits = new HotPathLimits { ResponseGrace = TimeSpan.Zero, MinResponseBytesPerSecond = double.MaxValue };
        var (server, zip, _) = await StartWithArtifactsAsync(zipBytes: 32 << 20, limits: limits);
        await using var _server = server;
        await server.SendAsync("GET", Zip);
        using var client = await KeepAliveClient.ConnectAsync(server.Port, receiveBuffer: 4096);

        await client.SendAsync(KeepAliveClient.Request("GET", Zip, server.Port));
        await Task.Delay(TimeSpan.FromSeconds(2)); // the client reads nothing while the server sends (two heartbeats)
        var received = await client.DrainAsync();

        Assert.True(received < zip.Length, $"received {received} of {zip.Length} bytes; hot path served {server.Hot.Served}, handed over {server.Hot.HandedOver}, cached {server.Hot.Memory.Count}");
        Assert.Equal(0, server.Hot.Served);
    }

    [Fact]
    public async Task Stop_IdleKeepAliveConnectionOnTheHotPath_ClosedAndStopCompletes()
    {
        var (server, _, _) = await StartWithArtifactsAsync();
        await using var _server = server;
        await server.SendAsync("GET", Info);
        using var client = await KeepAliveClient.ConnectAsync(server.Port);
        await client.SendAsync(KeepAliveClient.Request("GET", Info, server.Port));
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);

        await server.StopAsync();

        Assert.True(await client.ClosedByServerAsync());
    }

    [Fact]
    public async Task Readyz_AfterHotHits_ReportsThePathAndTheCache()
    {
        var (server, _, _) = await StartWithArtifactsAsync();
        await using var _server = server;
        await server.SendAsync("GET", Zip);
        await server.SendAsync("GET", Info);
        await server.SendAsync("GET", Zip);
        await server.SendAsync("HEAD", Info);

        var readyz = await server.SendAsync("GET", "/readyz");
        using var json = System.Text.Json.JsonDocument.Parse(readyz.Body);
        var hot = json.RootElement.GetProperty("hotPath");

        Assert.True(hot.GetProperty("enabled").GetBoolean());
        Assert.Equal(2, hot.GetProperty("served").GetInt64());
        Assert.Equal(3, hot.GetProperty("forwarded").GetInt64()); // the two fills and this /readyz, each Kestrel's on a kept connection
        Assert.Equal(0, hot.GetProperty("handedOver").GetInt64());
        Assert.Equal(2, hot.GetProperty("cachedArtifacts").GetInt32());
        Assert.Equal(1, hot.GetProperty("openFiles").GetInt32());
    }

    [Fact]
    public async Task Get_ClientAuthConfigured_HotPathOffSoCachedHitsStillNeedTheToken()
    {
        // Client auth is middleware behind Kestrel, so with auth on the hot path must not sit in
        // front of it: an artifact cached by an authorized request still needs the credential.
        var auth = new Moddock.Server.Auth.ClientAuthOptions
        {
            RequireByDefault = true,
            Tokens = [new Moddock.Server.Auth.ClientCredential("ci", Moddock.Server.Auth.ClientSecretHash.Create("s3cret", iterations: 1000))],
        };
        await using var server = await RunningServer.StartAsync(auth: auth);
        var file = Path.Combine(server.Storage, "info");
        File.WriteAllText(file, "{\"Version\":\"v1.0.0\"}");
        server.Resolver.Answer = _ => ResolveResult.Found(new ArtifactContent(file, new FileInfo(file).Length, "x", DateTimeOffset.UnixEpoch, false), CacheStatus.Hit);

        var authorized = await RawHttp.SendAsync(server.Port, "GET", Info, "Authorization: Bearer s3cret\r\n");
        var again = await RawHttp.SendAsync(server.Port, "GET", Info, "Authorization: Bearer s3cret\r\n");
        var anonymous = await server.SendAsync("GET", Info);
        var readyz = await server.SendAsync("GET", "/readyz");
        using var json = System.Text.Json.JsonDocument.Parse(readyz.Body);

        Assert.Equal(200, authorized.Status);
        Assert.Equal(200, again.Status);
        Assert.Equal(401, anonymous.Status);
        Assert.Equal(0, server.Hot.Served);
        Assert.False(json.RootElement.GetProperty("hotPath").GetProperty("enabled").GetBoolean());
    }

    [Theory]
    [InlineData(false, false, new string[0], true)]
    [InlineData(false, false, new[] { "*" }, true)]
    [InlineData(true, false, new string[0], false)]
    [InlineData(false, true, new string[0], false)]
    [InlineData(false, false, new[] { "proxy.example" }, false)]
    public void CanRunWith_AnythingJudgingRequestsBehindKestrel_KeepsTheHotPathOff(bool tls, bool auth, string[] allowedHosts, bool expected)
    {
        var filter = new Microsoft.AspNetCore.HostFiltering.HostFilteringOptions { AllowedHosts = allowedHosts };

        Assert.Equal(expected, HotConnectionHandler.CanRunWith(tls, auth, filter));
    }

    [Fact]
    public async Task Get_AllowedHostsConfigured_HotPathOffSoAnOtherHostIsStillRefused()
    {
        await using var server = await RunningServer.StartAsync(configure: s =>
            s.Configure<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>(o => o.AllowedHosts = ["proxy.example"]));
        var file = Path.Combine(server.Storage, "info");
        File.WriteAllText(file, "{\"Version\":\"v1.0.0\"}");
        server.Resolver.Answer = _ => ResolveResult.Found(new ArtifactContent(file, new FileInfo(file).Length, "x", DateTimeOffset.UnixEpoch, false), CacheStatus.Hit);
        using var client = await KeepAliveClient.ConnectAsync(server.Port);

        var answers = new List<RawResponse>();
        foreach (var host in new[] { "proxy.example", "proxy.example", "evil.example" })
        {
            await client.SendAsync($"GET {Info} HTTP/1.1\r\nHost: {host}\r\n\r\n");
            answers.Add(await client.ReadResponseAsync());
        }

        Assert.Equal([200, 200, 400], answers.Select(a => a.Status));
        Assert.False(server.Hot.Installed);
        Assert.Equal(0, server.Hot.Served);
    }
}
