using System.Net;
using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.Modules;
using Moddock.Modules.Zip;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Serve;

/// <summary>
/// The README's promise that several `moddock serve` processes may share one --storage, proven with two
/// real processes (the built CLI) on one storage directory in front of one file-layout upstream: the same
/// artifacts asked of both at once, so both fetch and both commit the same final files, and the loser of
/// each commit race must still answer the bytes it verified (ZipStaging, DurableFile.Publish).
/// </summary>
public sealed class SharedStorageTests
{
    private const int ModuleCount = 20;
    private const int Rounds = 3;
    private static readonly string[] Kinds = [".info", ".mod", ".zip"];

    [Fact]
    public async Task Serve_TwoProcessesOneStorageConcurrentRequests_EveryAnswerIsTheUpstreamBytes()
    {
        // Half the zips span several upstream writes (64 KiB each, a little apart), so that both processes'
        // downloads of one zip overlap and their commits race.
        var modules = Enumerable.Range(0, ModuleCount)
            .Select(i => i % 2 == 0
                ? FileLayoutProxy.Big($"example.com/shared/m{i:D2}", "v1.0.0", 256 * 1024)
                : new TestModule($"example.com/shared/m{i:D2}", "v1.0." + i, $"module example.com/shared/m{i:D2}\n\ngo 1.18\n",
                    new Dictionary<string, string> { ["m.go"] = $"package m\n\nconst N = {i}\n" }))
            .ToList();
        var root = FileLayoutProxy.Write(modules.Concat(SampleProject.Modules));
        await using var upstream = await UpstreamServer.StartAsync(root);
        upstream.ZipChunkDelay = TimeSpan.FromMilliseconds(5);
        var storage = TestEnvironment.NewTempDir("shared-storage");
        using var a = await ServeProcess.StartAsync(upstream.Url, storage);
        using var b = await ServeProcess.StartAsync(upstream.Url, storage);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

        var artifacts = modules.SelectMany(m => Kinds.Select(k => Artifact.Of(m, k, root))).ToList();
        var requests = from round in Enumerable.Range(0, Rounds)
                       from artifact in artifacts
                       from serve in new[] { a, b }
                       select GetAsync(http, serve, artifact);
        var answers = await Task.WhenAll(requests);

        var context = $"A said:\n{string.Join('\n', a.Output)}\nB said:\n{string.Join('\n', b.Output)}";
        Assert.Equal(Rounds * artifacts.Count * 2, answers.Length);
        Assert.All(answers, r => Assert.True(r.Status == HttpStatusCode.OK, $"{r.Url}: {(int)r.Status} {System.Text.Encoding.UTF8.GetString(r.Body)}\n{context}"));
        Assert.All(answers, r => Assert.True(r.Body.AsSpan().SequenceEqual(r.Artifact.Bytes), $"{r.Url}: {r.Body.Length} bytes differ from the upstream's {r.Artifact.Bytes.Length}"));

        // Each process fetched each artifact at most once (single-flight within it), so the upstream saw at most two
        // requests for it; every other answer came from that flight or from the store both share.
        foreach (var artifact in artifacts)
        {
            Assert.InRange(upstream.CountOf(artifact.UrlPath), 1, 2);
        }

        // Fired all at once, both processes miss on (nearly) every artifact, so both commit it and one finds the final
        // file already there: the race the README's promise is about did happen here.
        Assert.Contains(artifacts, x => upstream.CountOf(x.UrlPath) == 2);

        // Afterwards both processes serve every artifact from the shared store, byte for byte what the upstream sent,
        // and the store holds exactly those bytes with no temp file left behind. Answers go out before their commits:
        // wait for every stored file first.
        foreach (var artifact in artifacts)
        {
            await StoredFile.WaitAsync(Path.Combine(storage, artifact.UrlPath.TrimStart('/')));
        }

        foreach (var serve in new[] { a, b })
        {
            foreach (var artifact in artifacts)
            {
                var again = await GetAsync(http, serve, artifact);
                Assert.Equal((artifact.UrlPath, HttpStatusCode.OK, "hit"), (artifact.UrlPath, again.Status, again.Cache));
                Assert.True(again.Body.AsSpan().SequenceEqual(artifact.Bytes), $"{again.Url}: hit differs from the upstream bytes");
            }
        }

        foreach (var artifact in artifacts)
        {
            var stored = await File.ReadAllBytesAsync(Path.Combine(storage, artifact.UrlPath.TrimStart('/')));
            Assert.True(stored.AsSpan().SequenceEqual(artifact.Bytes), $"stored {artifact.UrlPath} differs from the upstream bytes");
        }

        Assert.Empty(Directory.GetFiles(storage, ".tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task GoModTidy_ThroughOneProcessThenTheOtherOnOneStorage_SameGoSumAsTheUpstreamFiles()
    {
        var root = FileLayoutProxy.Write(SampleProject.Modules);
        await using var upstream = await UpstreamServer.StartAsync(root);
        var storage = TestEnvironment.NewTempDir("shared-storage-go");
        // Read-ahead off: it could still be fetching for A after A's tidy returned, and this test counts upstream requests.
        using var a = await ServeProcess.StartAsync(upstream.Url, storage, extraArgs: ["--prefetch", "off"]);
        using var b = await ServeProcess.StartAsync(upstream.Url, storage, extraArgs: ["--prefetch", "off"]);

        var viaA = Tidy(a);
        var upstreamRequestsAfterA = upstream.Requests.Count;
        var viaB = Tidy(b);

        // B answered everything from what A stored: the upstream heard nothing more.
        Assert.Equal(upstreamRequestsAfterA, upstream.Requests.Count);
        Assert.Equal(viaA, viaB);

        // And the sums are those of the upstream's own files (h1 of the zip and of the go.mod).
        var expected = new List<string>();
        foreach (var m in SampleProject.Modules.Where(m => m != SampleProject.Greet10))
        {
            var dir = Path.Combine(root, ModulePath.Parse(m.Path).Escaped, "@v", ModuleVersion.Parse(m.Version).Escaped);
            expected.Add($"{m.Path} {m.Version} {DirHash.HashZip(dir + ".zip")}");
            expected.Add($"{m.Path} {m.Version}/go.mod {DirHash.HashGoMod(await File.ReadAllBytesAsync(dir + ".mod"))}");
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), viaA.Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetFiles(storage, ".tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Serve_SecondProcessStartsWhileFirstIsMidDownload_FirstStillAnswersTheWholeZip()
    {
        // A 2 MiB zip sent 64 KiB at a time, 250 ms apart (8 s in all): A is still downloading when B starts on
        // the same storage. B's start-up sweep of crash leftovers must leave A's temp file alone.
        var big = FileLayoutProxy.Big("example.com/shared/slow", "v1.0.0", 2 * 1024 * 1024);
        var root = FileLayoutProxy.Write([big]);
        await using var upstream = await UpstreamServer.StartAsync(root);
        upstream.ZipChunkDelay = TimeSpan.FromMilliseconds(250);
        var storage = TestEnvironment.NewTempDir("shared-storage-start");
        var artifact = Artifact.Of(big, ".zip", root);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var a = await ServeProcess.StartAsync(upstream.Url, storage);

        var download = GetAsync(http, a, artifact);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Directory.GetFiles(storage, ".tmp-*", SearchOption.AllDirectories).Length == 0 && DateTime.UtcNow < deadline && !download.IsCompleted)
        {
            await Task.Delay(20);
        }

        Assert.NotEmpty(Directory.GetFiles(storage, ".tmp-*", SearchOption.AllDirectories));
        using var b = await ServeProcess.StartAsync(upstream.Url, storage);
        Assert.False(download.IsCompleted, "the download should still be running when the second process has started");

        var answer = await download;
        Assert.True(answer.Status == HttpStatusCode.OK, $"{(int)answer.Status} {System.Text.Encoding.UTF8.GetString(answer.Body)}\nA said:\n{string.Join('\n', a.Output)}");
        Assert.True(answer.Body.AsSpan().SequenceEqual(artifact.Bytes), $"A answered {answer.Body.Length} bytes, not the upstream's {artifact.Bytes.Length}");
        var fromB = await GetAsync(http, b, artifact);
        Assert.Equal(HttpStatusCode.OK, fromB.Status);
        Assert.True(fromB.Body.AsSpan().SequenceEqual(artifact.Bytes), "B's answer differs from the upstream bytes");
    }

    /// <summary>`go mod tidy` of the sample app through one process, in a fresh module cache; returns go.sum's lines.</summary>
    private static string[] Tidy(ServeProcess serve)
    {
        var app = SampleProject.WriteApp();
        var r = new GoClient().Run(app, serve.Url, "mod", "tidy");
        Assert.True(r.ExitCode == 0, $"go mod tidy via {serve.Url}: exit {r.ExitCode}\n{r.StdOut}\n{r.StdErr}\nserver said:\n{string.Join('\n', serve.Output)}");
        var sum = File.ReadAllLines(Path.Combine(app, "go.sum"));
        Assert.NotEmpty(sum);
        return sum;
    }

    private static async Task<Answer> GetAsync(HttpClient http, ServeProcess serve, Artifact artifact)
    {
        var url = serve.Url + artifact.UrlPath;
        using var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        var cache = response.Headers.TryGetValues("X-Moddock-Cache", out var values) ? string.Join(',', values) : "";
        return new Answer(artifact, url, response.StatusCode, cache, body);
    }

    private sealed record Artifact(string UrlPath, byte[] Bytes)
    {
        public static Artifact Of(TestModule m, string kind, string upstreamRoot)
        {
            var relative = $"{ModulePath.Parse(m.Path).Escaped}/@v/{ModuleVersion.Parse(m.Version).Escaped}{kind}";
            return new Artifact("/" + relative, File.ReadAllBytes(Path.Combine(upstreamRoot, relative)));
        }
    }

    private sealed record Answer(Artifact Artifact, string Url, HttpStatusCode Status, string Cache, byte[] Body);
}
