using System.Text.Json;
using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Doctor;

/// <summary>
/// `moddock doctor` with GOPROXY pointing at a real `moddock serve` whose upstream fails: the go command would
/// only see Moddock's 502, the doctor names the upstream and the cause from Moddock's own /readyz, so the
/// failure texts Moddock.Proxy writes and the doctor's reading of them are checked together.
/// </summary>
public sealed class DoctorThroughModdockTests
{
    [Fact]
    public async Task Doctor_ModdockUpstreamRefuses_NamesUpstreamAndTcpRefused()
    {
        var closed = $"http://127.0.0.1:{FreePort.Next()}";
        using var serve = await ServeProcess.StartAsync(closed);
        await FailOnceAsync(serve);

        var c = UpstreamCheck(RunDoctor(serve.Url), closed);

        Assert.Equal("warn", c.GetProperty("status").GetString());
        Assert.Equal("tcp.refused", c.GetProperty("cause").GetString());
        Assert.Equal("proxy", c.GetProperty("where").GetString());
        Assert.Equal($"GOPROXY={closed} moddock doctor   # on the Moddock host", c.GetProperty("fix").GetString());
    }

    [Fact]
    public async Task Doctor_ModdockUpstreamNeverAnswers_NamesHttpTimeout()
    {
        using var silent = new SilentServer();
        using var serve = await ServeProcess.StartAsync(silent.Url, env: new Dictionary<string, string> { ["MODDOCK_FIRST_BYTE_TIMEOUT"] = "1s" });
        await FailOnceAsync(serve);

        var c = UpstreamCheck(RunDoctor(serve.Url), silent.Url);

        Assert.Equal("warn", c.GetProperty("status").GetString());
        Assert.Equal("http.timeout", c.GetProperty("cause").GetString());
    }

    [Fact]
    public async Task Doctor_ModdockUpstreamAnswersNotFound_UpstreamOk()
    {
        // A 404 is an answer, not a failure: the upstream is fine, the module just is not there.
        await using var upstream = await UpstreamServer.StartAsync(TestEnvironment.NewTempDir("doctor-empty-upstream"));
        using var serve = await ServeProcess.StartAsync(upstream.Url);

        var c = UpstreamCheck(RunDoctor(serve.Url), upstream.Url);

        Assert.Equal("ok", c.GetProperty("status").GetString());
        Assert.Equal("no failures", c.GetProperty("detail").GetString());
    }

    // One client request that reaches the failing upstream, so Moddock records the failure.
    private static async Task FailOnceAsync(ServeProcess serve)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var r = await http.GetAsync($"{serve.Url}/example.com/doctor/@v/list");
        Assert.Equal(502, (int)r.StatusCode);
    }

    private static JsonElement UpstreamCheck(JsonDocument report, string upstream) =>
        Assert.Single(report.RootElement.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "moddock upstream " + upstream);

    private static JsonDocument RunDoctor(string goproxy)
    {
        var home = TestEnvironment.NewTempDir("doctor-moddock-home");
        var env = new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["PATH"] = "/usr/bin:/bin",
            ["GOPROXY"] = goproxy,
            ["GOSUMDB"] = "off",
            ["GOFLAGS"] = "-modcacherw",
            ["GOPATH"] = Path.Combine(home, "gopath"),
            ["GOMODCACHE"] = Path.Combine(home, "gopath", "pkg", "mod"),
            ["GOCACHE"] = Path.Combine(home, "gocache"),
            ["GONOPROXY"] = string.Empty,
            ["GOPRIVATE"] = string.Empty,
            ["GONOSUMDB"] = string.Empty,
            ["HTTP_PROXY"] = null,
            ["HTTPS_PROXY"] = null,
            ["http_proxy"] = null,
            ["https_proxy"] = null,
            ["NO_PROXY"] = null,
            ["no_proxy"] = null,
        };
        var r = ProcessRunner.Run(TestEnvironment.Cli, ["doctor", "--json", "--timeout", "20", "--module", "example.com/doctor"], home, env, timeout: TimeSpan.FromSeconds(40));
        Assert.True(r.ExitCode is 0 or 1, $"doctor exited {r.ExitCode}: {r.StdErr}");
        return JsonDocument.Parse(r.StdOut);
    }
}
