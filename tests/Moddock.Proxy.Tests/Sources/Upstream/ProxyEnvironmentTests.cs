using Moddock.Proxy.Tests.Support;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Upstream;

/// <summary>Upstream traffic honours HTTP_PROXY and NO_PROXY (checked in a child process with its own environment).</summary>
public sealed class ProxyEnvironmentTests
{
    private static readonly TestModule M = new("example.com/viaproxy", "v1.0.0");

    private static ProcessResult Probe(string upstream, IDictionary<string, string?> env) =>
        ProcessRunner.Run(
            "dotnet",
            [typeof(ProxyEnvironmentTests).Assembly.Location, "proxy-env-probe", upstream, TestEnvironment.NewTempDir("proxy-env"), M.Path.Value, M.Version.Value],
            env: env,
            timeout: TimeSpan.FromSeconds(60));

    private static FakeUpstream ForwardProxy(List<string> seen) =>
        FakeUpstream.Start((target, _) =>
        {
            lock (seen)
            {
                seen.Add(target);
            }

            // A forward proxy gets the absolute URL; serve the module as if it had fetched it.
            var files = TestModule.Layout(M);
            var path = target.StartsWith("http://", StringComparison.Ordinal) ? new Uri(target).AbsolutePath.TrimStart('/') : target;
            return files.TryGetValue(Uri.UnescapeDataString(path), out var body) ? new FakeResponse(200, body) : FakeResponse.Text(404, "no");
        });

    [Fact]
    public async Task Fetch_HttpProxySet_UpstreamRequestGoesThroughTheForwardProxy()
    {
        var seen = new List<string>();
        await using var proxy = ForwardProxy(seen);

        var r = Probe("http://mirror.moddock.test", new Dictionary<string, string?>
        {
            ["HTTP_PROXY"] = proxy.Url,
            ["HTTPS_PROXY"] = null,
            ["NO_PROXY"] = null,
            ["ALL_PROXY"] = null,
        });

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains("http://mirror.moddock.test/example.com/viaproxy/@v/v1.0.0.mod", seen);
    }

    [Fact]
    public async Task Fetch_HostListedInNoProxy_UpstreamRequestBypassesTheForwardProxy()
    {
        var seen = new List<string>();
        await using var proxy = ForwardProxy(seen);
        await using var origin = FakeUpstream.Files(TestModule.Layout(M));

        var r = Probe($"http://localhost:{origin.Port}", new Dictionary<string, string?>
        {
            ["HTTP_PROXY"] = proxy.Url,
            ["HTTPS_PROXY"] = null,
            ["NO_PROXY"] = "localhost",
            ["ALL_PROXY"] = null,
        });

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Empty(seen);
        Assert.Equal(1, origin.Requests);
    }
}
