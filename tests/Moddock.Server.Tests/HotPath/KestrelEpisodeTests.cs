using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Moddock.Proxy;
using Moddock.Server.Tests.Support;

namespace Moddock.Server.Tests.HotPath;

/// <summary>
/// Requests the hot path does not answer, given to Kestrel one at a time on a connection the hot
/// path keeps: the answers must be Kestrel's own, byte for byte and in request order, and the hits
/// around them must still be answered on the socket. The fake resolver answers v1.0.0's .info and
/// .zip as store hits (which the memory cache admits), v1.2.0's zip as a miss (streamed by Kestrel,
/// never cached), a list, and v1.3.0's .info only once the test opens a gate (a slow upstream).
/// </summary>
public sealed class KestrelEpisodeTests
{
    private const string Zip = "/example.com/m/@v/v1.0.0.zip";
    private const string Info = "/example.com/m/@v/v1.0.0.info";
    private const string ZipMiss = "/example.com/m/@v/v1.2.0.zip";
    private const string List = "/example.com/m/@v/list";
    private const string Slow = "/example.com/m/@v/v1.3.0.info";

    private sealed record Artifacts(byte[] Zip, byte[] Info, byte[] ZipMiss, ManualResetEventSlim Gate);

    private static async Task<(RunningServer Server, Artifacts Files)> StartAsync(
        long memoryCacheBytes = Moddock.Server.Configuration.ServeDefaults.MemoryCacheBytes, Action<KestrelServerOptions>? kestrel = null)
    {
        var server = await RunningServer.StartAsync(
            memoryCacheBytes: memoryCacheBytes,
            configure: kestrel is null ? null : s => s.Configure(kestrel));
        var files = new Artifacts(Random(1_100_000, 1), Encoding.UTF8.GetBytes("{\"Version\":\"v1.0.0\",\"Time\":\"2024-01-02T03:04:05Z\"}"), Random(3_000_000, 2), new ManualResetEventSlim());
        var paths = new Dictionary<(ArtifactKind, string?), (string Path, CacheStatus Cache)>
        {
            [(ArtifactKind.Zip, "v1.0.0")] = (Write(server, "zip", files.Zip), CacheStatus.Hit),
            [(ArtifactKind.Info, "v1.0.0")] = (Write(server, "info", files.Info), CacheStatus.Hit),
            [(ArtifactKind.Zip, "v1.2.0")] = (Write(server, "zip2", files.ZipMiss), CacheStatus.Miss),
            [(ArtifactKind.List, null)] = (Write(server, "list", "v1.0.0\nv1.2.0\n"u8.ToArray()), CacheStatus.Miss),
            [(ArtifactKind.Info, "v1.3.0")] = (Write(server, "info3", "{\"Version\":\"v1.3.0\"}"u8.ToArray()), CacheStatus.Miss),
        };
        server.Resolver.Answer = r =>
        {
            var key = (r.Kind, r.Kind == ArtifactKind.List ? null : r.Query);
            if (!paths.TryGetValue(key, out var file))
            {
                return ResolveResult.Failed(ResolveOutcome.NotFound, "no such version");
            }

            if (r.Query == "v1.3.0")
            {
                files.Gate.Wait(TimeSpan.FromSeconds(15));
            }

            return ResolveResult.Found(new ArtifactContent(file.Path, new FileInfo(file.Path).Length, "x", DateTimeOffset.UnixEpoch, false), file.Cache);
        };
        return (server, files);
    }

    private static byte[] Random(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static string Write(RunningServer server, string name, byte[] bytes)
    {
        var path = Path.Combine(server.Storage, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertSameAnswer(RawResponse expected, RawResponse actual, string what)
    {
        Assert.True(expected.Status == actual.Status, what);
        Assert.True(expected.Body.AsSpan().SequenceEqual(actual.Body), what + ": body differs");
        Assert.Equal(expected.Headers.Keys.Order(), actual.Headers.Keys.Order());
        foreach (var (name, value) in expected.Headers.Where(h => h.Key != "date"))
        {
            Assert.True(value == actual.Header(name), $"{what}: {name}: {value} vs {actual.Header(name)}");
        }
    }

    private static async Task WaitUntilAsync(Func<bool> done)
    {
        for (var i = 0; i < 200 && !done(); i++)
        {
            await Task.Delay(50);
        }
    }

    private static async Task<List<RawResponse>> OnOneConnectionAsync(int port, IEnumerable<(string Method, string Target)> requests)
    {
        using var client = await KeepAliveClient.ConnectAsync(port);
        var answers = new List<RawResponse>();
        foreach (var (method, target) in requests)
        {
            await client.SendAsync(KeepAliveClient.Request(method, target, port));
            answers.Add(await client.ReadResponseAsync(isHead: method == "HEAD"));
        }

        return answers;
    }

    [Fact]
    public async Task Get_MissHitListHitZipMissZipHitOnOneConnection_KestrelsAnswersAndTheHitsHot()
    {
        (string, string)[] sequence = [("GET", Info), ("GET", Info), ("GET", List), ("GET", Info), ("GET", Zip), ("GET", Zip), ("GET", ZipMiss), ("HEAD", ZipMiss)];
        var (server, files) = await StartAsync();
        await using var _server = server;
        var (cold, _) = await StartAsync(memoryCacheBytes: 0); // no memory cache: no hot path, Kestrel answers all
        await using var _cold = cold;

        var viaHot = await OnOneConnectionAsync(server.Port, sequence);
        var viaKestrel = await OnOneConnectionAsync(cold.Port, sequence);

        for (var i = 0; i < sequence.Length; i++)
        {
            AssertSameAnswer(viaKestrel[i], viaHot[i], $"{i}: {sequence[i]}");
        }

        Assert.Equal(files.Info, viaHot[1].Body);
        Assert.Equal(files.Zip, viaHot[5].Body);
        Assert.Equal(files.ZipMiss, viaHot[6].Body);
        Assert.Equal("v1.0.0\nv1.2.0\n", viaHot[2].Text);
        Assert.Equal(3, server.Hot.Served); // the second and third .info, the second zip
        Assert.Equal(5, server.Hot.Forwarded);
        Assert.Equal(0, server.Hot.HandedOver);
        Assert.Equal(0, cold.Hot.Served);
    }

    [Fact]
    public async Task Get_PipelinedHitsAndForwardedRequestsInOneWrite_AnsweredInOrderAndIntact()
    {
        var (server, files) = await StartAsync();
        await using var _server = server;
        await server.SendAsync("GET", Zip);
        await server.SendAsync("GET", Info);
        using var client = await KeepAliveClient.ConnectAsync(server.Port);

        await client.SendAsync(
            KeepAliveClient.Request("GET", Info, server.Port)
            + KeepAliveClient.Request("GET", ZipMiss, server.Port)
            + KeepAliveClient.Request("GET", Zip, server.Port)
            + KeepAliveClient.Request("HEAD", "/example.com/m/@v/v9.9.9.info", server.Port)
            + KeepAliveClient.Request("GET", List, server.Port)
            + KeepAliveClient.Request("HEAD", Zip, server.Port)
            + KeepAliveClient.Request("GET", "/readyz", server.Port)
            + KeepAliveClient.Request("GET", Info, server.Port, "Connection: close\r\n"));
        var info = await client.ReadResponseAsync();
        var miss = await client.ReadResponseAsync();
        var zip = await client.ReadResponseAsync();
        var notFound = await client.ReadResponseAsync(isHead: true);
        var list = await client.ReadResponseAsync();
        var head = await client.ReadResponseAsync(isHead: true);
        var readyz = await client.ReadResponseAsync();
        var last = await client.ReadResponseAsync();

        Assert.Equal(files.Info, info.Body);
        Assert.Equal(files.ZipMiss, miss.Body);
        Assert.Equal(files.Zip, zip.Body);
        Assert.Equal(404, notFound.Status);
        Assert.Equal("v1.0.0\nv1.2.0\n", list.Text);
        Assert.Equal(files.Zip.Length.ToString(CultureInfo.InvariantCulture), head.Header("Content-Length"));
        Assert.Contains("\"hotPath\"", readyz.Text, StringComparison.Ordinal);
        Assert.Equal(files.Info, last.Body);
        Assert.Equal("close", last.Header("Connection"));
        Assert.True(await client.ClosedByServerAsync());
        Assert.Equal(4, server.Hot.Served);
        Assert.Equal(4 + 2, server.Hot.Forwarded); // the two fills above came on their own connections
    }

    [Fact]
    public async Task Get_ManyConnectionsMixingHitsAndForwardedRequests_EveryAnswerIntactAndNoConnectionLeft()
    {
        var (server, files) = await StartAsync();
        await using var _server = server;
        await server.SendAsync("GET", Zip);
        await server.SendAsync("GET", Info);
        (string, string)[] sequence = [("GET", List), ("GET", Zip), ("GET", ZipMiss), ("HEAD", Info), ("GET", Info), ("GET", List), ("GET", ZipMiss), ("GET", Zip)];

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => OnOneConnectionAsync(server.Port, sequence)));

        foreach (var connection in answers)
        {
            Assert.Equal("v1.0.0\nv1.2.0\n", connection[0].Text);
            Assert.Equal(files.Zip, connection[1].Body);
            Assert.Equal(files.ZipMiss, connection[2].Body);
            Assert.Equal(files.Info.Length.ToString(CultureInfo.InvariantCulture), connection[3].Header("Content-Length"));
            Assert.Equal(files.Info, connection[4].Body);
            Assert.Equal("v1.0.0\nv1.2.0\n", connection[5].Text);
            Assert.Equal(files.ZipMiss, connection[6].Body);
            Assert.Equal(files.Zip, connection[7].Body);
        }

        await WaitUntilAsync(() => server.Hot.OpenConnections == 0 && server.Hot.Served == 12 * 4);
        Assert.Equal(12 * 4, server.Hot.Served);
        Assert.Equal(0, server.Hot.OpenConnections);
    }

    [Fact]
    public async Task Get_ForwardedRequestWithConnectionClose_KestrelsWholeAnswerThenClosed()
    {
        var (server, files) = await StartAsync();
        await using var _server = server;
        using var client = await KeepAliveClient.ConnectAsync(server.Port);

        await client.SendAsync(KeepAliveClient.Request("GET", ZipMiss, server.Port, "Connection: close\r\n"));
        var answer = await client.ReadResponseAsync();

        Assert.Equal(files.ZipMiss, answer.Body);
        Assert.Equal("close", answer.Header("Connection"));
        Assert.True(await client.ClosedByServerAsync());
        await WaitUntilAsync(() => server.Hot.OpenConnections == 0);
        Assert.Equal(0, server.Hot.OpenConnections);
    }

    [Fact]
    public async Task Get_RequestKestrelRefusesAfterAForwardedOne_Its400ThenClosed()
    {
        var (server, files) = await StartAsync();
        await using var _server = server;
        using var client = await KeepAliveClient.ConnectAsync(server.Port);
        await client.SendAsync(KeepAliveClient.Request("GET", List, server.Port));
        Assert.Equal("v1.0.0\nv1.2.0\n", (await client.ReadResponseAsync()).Text);
        await client.SendAsync(KeepAliveClient.Request("GET", Info, server.Port)); // the first store hit: forwarded too
        Assert.Equal(files.Info, (await client.ReadResponseAsync()).Body);

        // No Host: outside the hot path's grammar, so the rest of the connection is Kestrel's, which refuses it.
        await client.SendAsync("GET " + Info + " HTTP/1.1\r\nUser-Agent: x\r\n\r\n");
        var refused = await client.ReadResponseAsync();

        Assert.Equal(400, refused.Status);
        Assert.True(await client.ClosedByServerAsync());
        Assert.Equal(1, server.Hot.HandedOver);
        await WaitUntilAsync(() => server.Hot.OpenConnections == 0);
        Assert.Equal(0, server.Hot.OpenConnections);
    }

    [Fact]
    public async Task Connection_KestrelKeepAliveEndsAfterAForwardedRequest_ClosedByServer()
    {
        var (server, _) = await StartAsync(kestrel: o => o.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(1));
        await using var _server = server;
        using var client = await KeepAliveClient.ConnectAsync(server.Port);
        await client.SendAsync(KeepAliveClient.Request("GET", List, server.Port));
        Assert.Equal(200, (await client.ReadResponseAsync()).Status);

        Assert.True(await client.ClosedByServerAsync()); // within Kestrel's limit plus its heartbeat, not the hot path's 130 s
        await WaitUntilAsync(() => server.Hot.OpenConnections == 0);
        Assert.Equal(0, server.Hot.OpenConnections);
    }

    [Fact]
    public async Task Get_ClientNotReadingAForwardedResponse_KestrelsDataRateCutsItAndNoConnectionLeft()
    {
        // Kestrel's MinResponseDataRate times its flushes into the episode's pipe, which wait while the
        // pump cannot send: a rate no client meets, after a short grace, cuts it.
        // 32 MiB cannot fit in the socket buffers (8 times Linux's default tcp_wmem maximum).
        var (server, _) = await StartAsync(kestrel: o => o.Limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 1e9, gracePeriod: TimeSpan.FromSeconds(1.5)));
        await using var _server = server;
        var big = Write(server, "big", Random(32 << 20, 3));
        var answer = server.Resolver.Answer;
        server.Resolver.Answer = r => r.Query == "v1.4.0"
            ? ResolveResult.Found(new ArtifactContent(big, new FileInfo(big).Length, "x", DateTimeOffset.UnixEpoch, false), CacheStatus.Miss)
            : answer(r);
        using var client = await KeepAliveClient.ConnectAsync(server.Port, receiveBuffer: 4096);

        await client.SendAsync(KeepAliveClient.Request("GET", "/example.com/m/@v/v1.4.0.zip", server.Port));
        await Task.Delay(TimeSpan.FromSeconds(3.5)); // the client reads nothing past the grace and a heartbeat or two
        var received = await client.DrainAsync();
        await WaitUntilAsync(() => server.Hot.OpenConnections == 0);

        Assert.True(received < 32 << 20, $"received {received}");
        Assert.Equal(0, server.Hot.OpenConnections);
    }

    [Fact]
    public async Task Get_ClientGoneDuringASlowForwardedRequest_NoConnectionLeft()
    {
        var (server, files) = await StartAsync();
        await using var _server = server;
        using (var client = await KeepAliveClient.ConnectAsync(server.Port))
        {
            await client.SendAsync(KeepAliveClient.Request("GET", Slow, server.Port));
            await WaitUntilAsync(() => server.Resolver.Requests.Any(r => r.Query == "v1.3.0"));
            Assert.Equal(1, server.Hot.OpenConnections);
        }

        files.Gate.Set();
        await WaitUntilAsync(() => server.Hot.OpenConnections == 0);

        Assert.Equal(0, server.Hot.OpenConnections);
        Assert.Equal(1, server.Hot.Forwarded);
        Assert.Equal(200, (await server.SendAsync("GET", Slow)).Status); // the server still answers
    }

    [Fact]
    public async Task Stop_DuringAForwardedRequest_ItsAnswerCompletesThenTheConnectionCloses()
    {
        var (server, files) = await StartAsync();
        await using var _server = server;
        using var client = await KeepAliveClient.ConnectAsync(server.Port);
        await client.SendAsync(KeepAliveClient.Request("GET", Slow, server.Port));
        await WaitUntilAsync(() => server.Resolver.Requests.Any(r => r.Query == "v1.3.0"));

        var stop = server.StopAsync();
        await Task.Delay(200); // shutdown has reached the connection while its request is still running
        var answer = client.ReadResponseAsync();
        files.Gate.Set();

        // Whether the answer already says "Connection: close" depends on whether Kestrel's close request
        // reached the connection before the answer started (as without the hot path); either way it
        // is whole, and the connection closes after it.
        Assert.Equal("{\"Version\":\"v1.3.0\"}", (await answer).Text);
        Assert.True(await client.ClosedByServerAsync());
        await stop;
        Assert.Equal(0, server.Hot.OpenConnections);
    }
}
