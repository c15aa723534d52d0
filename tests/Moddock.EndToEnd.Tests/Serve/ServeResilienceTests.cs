using System.Net;
using System.Security.Cryptography;
using Moddock.EndToEnd.Tests.Serve.Support;

namespace Moddock.EndToEnd.Tests.Serve;

/// <summary>`moddock serve` against upstreams that fail, stall, cut bodies short or die, and being killed itself.</summary>
public sealed class ServeResilienceTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    private static string FileOf(UpstreamServer up, string relative) => Path.Combine(up.Root, relative);

    [Fact]
    public async Task List_EveryUpstreamDownAfterTtl_ServedStaleWithHeader()
    {
        await using var files = await UpstreamServer.StartAsync(FileLayoutProxy.Write(SampleProject.Modules));
        using var serve = await ServeProcess.StartAsync(files.Url, env: new Dictionary<string, string> { ["MODDOCK_LIST_TTL"] = "500ms" });
        var fresh = await Http.GetAsync(serve.Url + "/example.com/greet/@v/list");
        files.Mode = UpstreamMode.Always500;
        await Task.Delay(TimeSpan.FromSeconds(1));

        var stale = await Http.GetAsync(serve.Url + "/example.com/greet/@v/list");

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(await fresh.Content.ReadAsStringAsync(), await stale.Content.ReadAsStringAsync());
        Assert.Equal("stale", stale.Headers.GetValues("X-Moddock-Cache").Single());
        Assert.StartsWith("110", stale.Headers.GetValues("Warning").Single(), StringComparison.Ordinal);
        Assert.True(files.CountOf("/@v/list") >= 2);
    }

    [Fact]
    public async Task Zip_UpstreamAnswers503ThenRecovers_IsServedAfterRetries()
    {
        await using var flaky = await UpstreamServer.StartAsync(FileLayoutProxy.Write(SampleProject.Modules), UpstreamMode.Fail503ThenRecover);
        using var serve = await ServeProcess.StartAsync(flaky.Url);

        var zip = await Http.GetByteArrayAsync(serve.Url + "/example.com/words/@v/v1.0.0.zip");

        Assert.Equal(await File.ReadAllBytesAsync(FileOf(flaky, "example.com/words/@v/v1.0.0.zip")), zip);
        Assert.Equal(3, flaky.CountOf("/example.com/words/@v/v1.0.0.zip"));
    }

    [Fact]
    public async Task Zip_UpstreamCutsBodyShort_Is502AndNothingStored()
    {
        await using var cut = await UpstreamServer.StartAsync(FileLayoutProxy.Write([FileLayoutProxy.Big("example.com/big", "v1.0.0", 1 << 20)]), UpstreamMode.CutZips);
        using var serve = await ServeProcess.StartAsync(cut.Url);

        var r = await Http.GetAsync(serve.Url + "/example.com/big/@v/v1.0.0.zip", HttpCompletionOption.ResponseHeadersRead);
        var complete = true;
        try
        {
            await r.Content.ReadAsByteArrayAsync();
        }
        catch (HttpRequestException)
        {
            complete = false;
        }

        // Either refused before the first byte, or the connection cut mid-body: never a 200 with a whole body.
        Assert.True(r.StatusCode == HttpStatusCode.BadGateway || !complete, $"status {r.StatusCode}, complete {complete}");
        Assert.True(cut.CountOf(".zip") >= 3, "short bodies are retried");
        Assert.Empty(Directory.GetFiles(serve.Storage, "*.zip", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Zip_CutShortThenPipeAlternative_ServesCorrectBytes()
    {
        var modules = new[] { FileLayoutProxy.Big("example.com/big", "v1.0.0", 1 << 20) };
        await using var cut = await UpstreamServer.StartAsync(FileLayoutProxy.Write(modules), UpstreamMode.CutZips);
        await using var good = await UpstreamServer.StartAsync(FileLayoutProxy.Write(modules));
        using var serve = await ServeProcess.StartAsync($"{cut.Url}|{good.Url}");

        var zip = await Http.GetByteArrayAsync(serve.Url + "/example.com/big/@v/v1.0.0.zip");

        Assert.Equal(await File.ReadAllBytesAsync(FileOf(good, "example.com/big/@v/v1.0.0.zip")), zip);
    }

    [Fact]
    public async Task Zip_200ConcurrentRequestsUncached_OneUpstreamFetchSameBytes()
    {
        await using var files = await UpstreamServer.StartAsync(FileLayoutProxy.Write([FileLayoutProxy.Big("example.com/big", "v1.0.0", 2 << 20)]));
        files.ZipChunkDelay = TimeSpan.FromMilliseconds(5);
        using var serve = await ServeProcess.StartAsync(files.Url);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 200 };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(90) };

        var bodies = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => client.GetByteArrayAsync(serve.Url + "/example.com/big/@v/v1.0.0.zip")));

        var expected = SHA256.HashData(await File.ReadAllBytesAsync(FileOf(files, "example.com/big/@v/v1.0.0.zip")));
        Assert.All(bodies, b => Assert.Equal(expected, SHA256.HashData(b)));
        Assert.Equal(1, files.CountOf(".zip"));
    }

    [Fact]
    public async Task Zip_ServerKilledMidDownload_RestartsCleanAndServesCorrectBytes()
    {
        await using var files = await UpstreamServer.StartAsync(FileLayoutProxy.Write([FileLayoutProxy.Big("example.com/big", "v1.0.0", 4 << 20)]));
        files.ZipChunkDelay = TimeSpan.FromMilliseconds(20);
        var url = "/example.com/big/@v/v1.0.0.zip";
        string storage;
        using (var first = await ServeProcess.StartAsync(files.Url))
        {
            storage = first.Storage;
            var download = Http.GetAsync(first.Url + url, HttpCompletionOption.ResponseHeadersRead);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (files.CountOf(".zip") == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            await Task.Delay(300);
            first.Kill();
            try
            {
                using var partial = await download;
                await partial.Content.ReadAsByteArrayAsync();
            }
            catch (HttpRequestException)
            {
                // the connection died with the server, as it should
            }
        }

        files.ZipChunkDelay = TimeSpan.Zero;
        using var second = await ServeProcess.StartAsync(files.Url, storage);
        var zip = await Http.GetByteArrayAsync(second.Url + url);

        // The zip was answered once verified, before its commit: the hit below needs the stored copy.
        await StoredFile.WaitAsync(Path.Combine(storage, url.TrimStart('/')));
        var again = await Http.GetAsync(second.Url + url);

        Assert.Equal(await File.ReadAllBytesAsync(FileOf(files, "example.com/big/@v/v1.0.0.zip")), zip);
        Assert.Equal(2, files.CountOf(".zip"));
        Assert.Equal("hit", again.Headers.GetValues("X-Moddock-Cache").Single());
    }

    [Fact]
    public async Task Head_UncachedZip_FetchesAndGivesSameLengthAsGet()
    {
        await using var files = await UpstreamServer.StartAsync(FileLayoutProxy.Write(SampleProject.Modules));
        using var serve = await ServeProcess.StartAsync(files.Url);
        var url = serve.Url + "/example.com/greet/@v/v1.1.0.zip";

        using var head = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Directory.GetFiles(serve.Storage, "*.zip", SearchOption.AllDirectories).Length == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        using var get = await Http.GetAsync(url);
        var body = await get.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("application/zip", head.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body.Length, head.Content.Headers.ContentLength);
        Assert.Equal(await File.ReadAllBytesAsync(FileOf(files, "example.com/greet/@v/v1.1.0.zip")), body);
        Assert.Equal(1, files.CountOf(".zip"));
    }
}
