using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Moddock.Modules;
using Moddock.Proxy;
using Moddock.Proxy.Sources.Git;
using Moddock.Server.Configuration;
using Moddock.Server.Hosting;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Direct;

/// <summary>
/// The go command through Moddock with `direct` in the upstream list: the versions and hashes it gets
/// equal what `GOPROXY=direct` computes, and modules matching --private never reach the public upstream.
/// The server runs in-process (ModdockServerHost + ModuleProxy with a DirectSource) on a free port.
/// </summary>
public sealed class DirectThroughServerTests
{
    [Fact]
    public async Task GoModDownload_ThroughModdockWithDirect_SameHashesAsGoDirect_PrivateNeverSentUpstream()
    {
        var root = DirectExampleHost.Root;
        var priv = new DirectGitRepoBuilder(Path.Combine(root, "e2e-private"), 90);
        priv.Write("go.mod", "module example.test/e2e-private.git\n\ngo 1.19\n").Write("p.go", "package p\n").Write("LICENSE", "private\n");
        priv.Commit("one");
        priv.Tag("v1.0.0");
        priv.Write("q.go", "package p // q\n");
        priv.Commit("two");
        var pub = new DirectGitRepoBuilder(Path.Combine(root, "e2e-public"), 95);
        pub.Write("go.mod", "module example.test/e2e-public.git\n").Write("x.go", "package x\n");
        pub.Commit("one");
        pub.AnnotatedTag("v0.1.0");

        // A public upstream that records what it is asked and knows nothing (404, so the chain goes on to direct).
        using var upstream = new RecordingUpstream();
        var temp = TestEnvironment.NewTempDir("e2e-direct");
        var port = FreePort.Next();
        Assert.True(GoProxyList.TryParse($"{upstream.Url},direct", out var entries, out _));
        var privatePatterns = PathPatterns.Parse("example.test/e2e-private.git");
        using var direct = new DirectSource(new DirectSourceOptions { StorageDirectory = Path.Combine(temp, "vcs"), NetrcPath = "/dev/null" });
        var proxyOptions = new ModuleProxyOptions { Upstreams = entries, Private = privatePatterns };
        proxyOptions.Storage.Root = Path.Combine(temp, "store");
        var proxy = ModuleProxy.Create(proxyOptions, direct: direct);
        var serve = new ServeOptions
        {
            Listen = new ListenAddress("127.0.0.1", port),
            Storage = proxyOptions.Storage.Root,
            UpstreamText = $"{upstream.Url},direct",
            Upstreams = entries,
            Private = privatePatterns,
            Insecure = PathPatterns.Parse(""),
            Sumdb = "off",
            NoSumdb = privatePatterns,
        };
        await using var app = ModdockServerHost.Build(serve, s => s.AddSingleton<IModuleResolver>(proxy.Resolver), _ => { });
        await app.StartAsync();
        try
        {
            string[] queries = ["example.test/e2e-private.git@v1.0.0", "example.test/e2e-private.git@main", "example.test/e2e-public.git@v0.1.0"];
            var viaModdock = Download(temp, "moddock", $"http://127.0.0.1:{port}", queries);
            var viaDirect = Download(temp, "direct", "direct", queries);

            Assert.Equal(queries.Length, viaDirect.Count);
            foreach (var (key, expected) in viaDirect)
            {
                Assert.True(viaModdock.TryGetValue(key, out var got), $"{key} missing from the go run through Moddock");
                Assert.Null(got.Error);
                Assert.Equal(expected.Version, got.Version);
                Assert.Equal(expected.Sum, got.Sum);
                Assert.Equal(expected.GoModSum, got.GoModSum);
            }

            Assert.DoesNotContain(upstream.Requests, r => r.Contains("e2e-private", StringComparison.Ordinal));
            Assert.Contains(upstream.Requests, r => r.Contains("e2e-public", StringComparison.Ordinal));
        }
        finally
        {
            await app.StopAsync();
        }
    }

    private static Dictionary<string, GoDownloadEntry> Download(string temp, string name, string goproxy, string[] queries)
    {
        var t = Path.Combine(temp, "go-" + name);
        var work = Path.Combine(t, "work");
        Directory.CreateDirectory(work);
        var env = GoCommandEnvironment.Isolated(t, goproxy);
        foreach (var (k, v) in DirectExampleHost.Variables(DirectExampleHost.Root))
        {
            env[k] = v;
        }

        var r = ProcessRunner.Run("go", ["mod", "download", "-json", .. queries], work, env, timeout: TimeSpan.FromMinutes(2));
        var result = GoDownloadJson.ByKey(r.StdOut);

        Assert.True(result.Count > 0, $"go mod download via {goproxy} printed nothing: {r.StdErr}");
        return result;
    }

    private sealed class RecordingUpstream : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public RecordingUpstream()
        {
            var port = FreePort.Next();
            Url = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public string Url { get; }

        public List<string> Requests { get; } = [];

        private async Task LoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext ctx;
                try
                {
                    ctx = await _listener.GetContextAsync().WaitAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                lock (Requests)
                {
                    Requests.Add(ctx.Request.RawUrl ?? "");
                }

                ctx.Response.StatusCode = 404;
                ctx.Response.Close();
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
            _stop.Dispose();
        }
    }
}
