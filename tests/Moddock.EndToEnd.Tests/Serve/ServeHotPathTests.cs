using System.Text.Json;
using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Serve;

/// <summary>
/// The hot path (cache hits answered on the socket, zips with sendfile) seen by the real go
/// command: a first client fills the store (and, as each file is stored, the memory cache), later
/// clients are answered by the hot path, with the requests it does not answer (lists, @latest) given
/// to Kestrel on the same keep-alive connections. Go hashes every zip it gets, so equal sums across
/// the clients prove the hot path's bytes and framing.
/// </summary>
public sealed class ServeHotPathTests
{
    private static string Describe(ProcessResult r) => $"exit {r.ExitCode}\n{r.StdOut}\n{r.StdErr}";

    [Fact]
    public async Task GoModDownloadAndBuild_ThirdClientServedByTheHotPath_SameSumsAsTheFirst()
    {
        await using var files = await UpstreamServer.StartAsync(FileLayoutProxy.Write(SampleProject.Modules));
        using var serve = await ServeProcess.StartAsync(files.Url);

        using var http = new HttpClient();
        var runs = new List<Dictionary<string, GoDownloadEntry>>();
        var servedAfter = new List<long>();
        for (var client = 0; client < 3; client++)
        {
            var download = new GoClient().Run(SampleProject.WriteApp(), serve.Url, "mod", "download", "-json");
            Assert.True(download.ExitCode == 0, Describe(download));
            runs.Add(GoDownloadJson.ByKey(download.StdOut));
            using var after = JsonDocument.Parse(await http.GetStringAsync(serve.Url + "/readyz"));
            servedAfter.Add(after.RootElement.GetProperty("hotPath").GetProperty("served").GetInt64());
        }

        var app = SampleProject.WriteApp();
        var go = new GoClient();
        var build = go.Run(app, serve.Url, "build", "-o", "app", ".");
        var run = ProcessRunner.Run(Path.Combine(app, "app"), [], app);
        using var readyz = JsonDocument.Parse(await http.GetStringAsync(serve.Url + "/readyz"));
        var hot = readyz.RootElement.GetProperty("hotPath");

        Assert.NotEmpty(runs[0]);
        foreach (var later in runs.Skip(1))
        {
            Assert.Equal(runs[0].Keys.Order(), later.Keys.Order());
            foreach (var (key, first) in runs[0])
            {
                Assert.Equal(first.Sum, later[key].Sum);
                Assert.Equal(first.GoModSum, later[key].GoModSum);
            }
        }

        Assert.True(build.ExitCode == 0, Describe(build));
        Assert.Equal("hello world\n", run.StdOut);
        Assert.True(hot.GetProperty("enabled").GetBoolean());

        // At least the third client's .info, .mod and .zip of every module came from the hot path.
        Assert.True(hot.GetProperty("served").GetInt64() >= 3 * runs[0].Count, hot.ToString());
        Assert.True(hot.GetProperty("openFiles").GetInt32() >= runs[0].Count, hot.ToString());

        // The first client's fetches entered the memory cache as they were stored, so the second client
        // (new connections, warm Moddock) is answered by the hot path even on connections whose first
        // request was not a memory hit (its @v/list queries, Kestrel's to answer on the same connection).
        Assert.True(servedAfter[1] > servedAfter[0], string.Join(", ", servedAfter) + " " + hot);
    }

    [Fact]
    public async Task GoGetLatest_ListThenCachedFilesOnTheSameConnections_ListForwardedAndTheHitsHot()
    {
        await using var files = await UpstreamServer.StartAsync(FileLayoutProxy.Write(SampleProject.Modules));
        using var serve = await ServeProcess.StartAsync(files.Url);
        var download = new GoClient().Run(SampleProject.WriteApp(), serve.Url, "mod", "download"); // fills the store and the memory cache
        Assert.True(download.ExitCode == 0, Describe(download));

        using var http = new HttpClient();
        using var before = JsonDocument.Parse(await http.GetStringAsync(serve.Url + "/readyz"));

        // @latest starts with the version list (Kestrel's to answer), then the graph's cached .mod, .info and .zip
        // files follow on the same keep-alive connections.
        var get = new GoClient().Run(SampleProject.WriteApp(), serve.Url, "get", "example.com/greet@latest");
        using var after = JsonDocument.Parse(await http.GetStringAsync(serve.Url + "/readyz"));
        var (hot0, hot1) = (before.RootElement.GetProperty("hotPath"), after.RootElement.GetProperty("hotPath"));

        Assert.True(get.ExitCode == 0, Describe(get));
        Assert.True(hot1.GetProperty("forwarded").GetInt64() > hot0.GetProperty("forwarded").GetInt64(), $"{hot0} {hot1}");
        Assert.True(hot1.GetProperty("served").GetInt64() > hot0.GetProperty("served").GetInt64(), $"{hot0} {hot1}");
        Assert.Equal(hot0.GetProperty("handedOver").GetInt64(), hot1.GetProperty("handedOver").GetInt64());
    }
}
