using System.Text.Json;
using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Serve;

/// <summary>
/// The read-ahead (--prefetch) seen by the real go command: what Moddock fetches ahead is single-flighted
/// with the client's own requests (the upstream sees each artifact once) and the client gets the same
/// bytes as through a Moddock that prefetches nothing.
/// </summary>
public sealed class ServePrefetchTests
{
    private static string Describe(ProcessResult r) => $"exit {r.ExitCode}\n{r.StdOut}\n{r.StdErr}";

    [Fact]
    public async Task GoModDownload_DefaultPrefetch_EachArtifactFetchedOnceAndSameSumsAsWithout()
    {
        await using var files = await UpstreamServer.StartAsync(FileLayoutProxy.Write(SampleProject.Modules));
        await using var plainFiles = await UpstreamServer.StartAsync(FileLayoutProxy.Write(SampleProject.Modules));
        using var serve = await ServeProcess.StartAsync(files.Url);
        using var plain = await ServeProcess.StartAsync(plainFiles.Url, extraArgs: ["--prefetch", "off"]);

        var ahead = new GoClient().Run(SampleProject.WriteApp(), serve.Url, "mod", "download", "-json");
        var without = new GoClient().Run(SampleProject.WriteApp(), plain.Url, "mod", "download", "-json");
        Assert.True(ahead.ExitCode == 0, Describe(ahead));
        Assert.True(without.ExitCode == 0, Describe(without));

        // The prefetches started by the client's last requests may still be running: wait for the counters.
        using var http = new HttpClient();
        JsonElement prefetch = default;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            using var readyz = JsonDocument.Parse(await http.GetStringAsync(serve.Url + "/readyz", timeout.Token));
            prefetch = readyz.RootElement.GetProperty("prefetch").Clone();
            if (prefetch.GetProperty("fetched").GetInt64() + prefetch.GetProperty("failed").GetInt64() >= 3)
            {
                break;
            }

            await Task.Delay(50, timeout.Token);
        }

        var sums = GoDownloadJson.ByKey(ahead.StdOut);
        var plainSums = GoDownloadJson.ByKey(without.StdOut);
        Assert.Equal(plainSums.Keys.Order(), sums.Keys.Order());
        foreach (var (key, entry) in plainSums)
        {
            Assert.Equal(entry.Sum, sums[key].Sum);
            Assert.Equal(entry.GoModSum, sums[key].GoModSum);
        }

        // The three zips the client downloads were each fetched ahead after its .info (or joined by the client).
        Assert.True(prefetch.GetProperty("enabled").GetBoolean());
        Assert.True(prefetch.GetProperty("fetched").GetInt64() >= 3, prefetch.ToString());
        Assert.Equal(0, prefetch.GetProperty("dropped").GetInt64());

        // Single flight across clients and prefetches: the upstream saw every path once, and no more zips than
        // the client asked for (example.com/greet v1.0.0 is in no build list, so its zip was never wanted).
        Assert.Equal(files.Requests.Count, files.Requests.Distinct().Count());
        Assert.Equal(3, files.CountOf(".zip"));
        Assert.Equal(plainFiles.CountOf(".zip"), files.CountOf(".zip"));
        Assert.DoesNotContain(files.Requests, r => r.EndsWith("greet/@v/v1.0.0.zip", StringComparison.Ordinal));
        Assert.False(JsonDocument.Parse(await http.GetStringAsync(plain.Url + "/readyz")).RootElement.GetProperty("prefetch").GetProperty("enabled").GetBoolean());

        // Whatever was stored is in the memory cache at once: a second client, on new connections, is answered by
        // the hot path for every .info, .mod and .zip (before, only from the third client on), with the same sums.
        // go 1.19 asks for example.com/Upper/v2 as /example.com/%21upper/v2/...: the "!" spelling's entry serves it.
        var second = new GoClient().Run(SampleProject.WriteApp(), serve.Url, "mod", "download", "-json");
        Assert.True(second.ExitCode == 0, Describe(second));
        var secondSums = GoDownloadJson.ByKey(second.StdOut);
        foreach (var (key, entry) in sums)
        {
            Assert.Equal(entry.Sum, secondSums[key].Sum);
        }

        using var after = JsonDocument.Parse(await http.GetStringAsync(serve.Url + "/readyz"));
        var hot = after.RootElement.GetProperty("hotPath");
        Assert.True(hot.GetProperty("served").GetInt64() >= 3 * sums.Count, hot.ToString());
    }
}
