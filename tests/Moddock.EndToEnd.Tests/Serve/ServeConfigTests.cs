using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Serve;

/// <summary>`moddock serve` start-up: configuration problems all at once with exit 2; SIGTERM stops it cleanly.</summary>
public sealed class ServeConfigTests
{
    [Fact]
    public void Serve_ManyConfigProblems_ReportsEveryOneAndExits2()
    {
        var dir = TestEnvironment.NewTempDir("serve-config");
        var config = Path.Combine(dir, "moddock.yaml");
        File.WriteAllText(config, "upstreams: http://typo.example\nlist-ttl: forever\n");

        var r = ProcessRunner.Run(
            TestEnvironment.Cli,
            ["serve", "--config", config, "--listen", "nowhere", "--upstream", "ftp://mirror.example", "--sumdb", "https://sum.example"],
            env: new Dictionary<string, string?> { ["MODDOCK_OFFLINE"] = "perhaps", ["MODDOCK_CONNECT_TIMEOUT"] = "-5s" },
            timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(2, r.ExitCode);
        foreach (var expected in new[]
        {
            "upstreams", "list-ttl", "\"forever\"", "listen (flag --listen) = \"nowhere\"", "upstream (flag --upstream) = \"ftp://mirror.example\"",
            "sumdb", "offline (env MODDOCK_OFFLINE) = \"perhaps\"", "connect-timeout (env MODDOCK_CONNECT_TIMEOUT) = \"-5s\"",
        })
        {
            Assert.Contains(expected, r.StdErr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Serve_OfflineFalseFlagOverEnvTrue_FlagWins()
    {
        using var serve = await ServeProcess.StartAsync(
            $"http://127.0.0.1:{FreePort.Next()}", env: new Dictionary<string, string> { ["MODDOCK_OFFLINE"] = "true" }, extraArgs: ["--offline", "false"]);
        using var http = new HttpClient();

        using var ready = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(serve.Url + "/readyz"));

        Assert.False(ready.RootElement.GetProperty("offline").GetBoolean());
    }

    [Fact]
    public void Serve_TtlTimeoutAndMemorySettingsAsFlags_ReadAndValidatedLikeTheOthers()
    {
        string[] keys = ["list-ttl", "not-found-ttl", "connect-timeout", "first-byte-timeout", "body-idle-timeout", "memory-cache"];

        var r = ProcessRunner.Run(
            TestEnvironment.Cli,
            ["serve", .. keys.SelectMany(k => new[] { "--" + k, "soon" })],
            timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(2, r.ExitCode);
        foreach (var key in keys)
        {
            Assert.Contains($"{key} (flag --{key}) = \"soon\"", r.StdErr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Serve_StorageUnderAFile_ConfigurationProblemWithExit2NotACrash()
    {
        var file = Path.Combine(TestEnvironment.NewTempDir("serve-storage-file"), "plain-file");
        File.WriteAllText(file, "not a directory");

        var r = ProcessRunner.Run(
            TestEnvironment.Cli,
            ["serve", "--listen", $"127.0.0.1:{FreePort.Next()}", "--storage", Path.Combine(file, "cache"), "--upstream", "off", "--sumdb", "off"],
            timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"storage (flag --storage) = \"{Path.Combine(file, "cache")}\": cannot create the directory", r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Serve_ListenAddressNotOnThisHost_OneLineAndExit1NotACrash()
    {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this machine.
        var r = ProcessRunner.Run(
            TestEnvironment.Cli,
            ["serve", "--listen", "192.0.2.1:3000", "--storage", TestEnvironment.NewTempDir("serve-storage"), "--upstream", "off", "--sumdb", "off"],
            timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("cannot listen on 192.0.2.1:3000", r.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_Sigterm_StopsGracefullyWithExit0()
    {
        using var serve = await ServeProcess.StartAsync($"http://127.0.0.1:{FreePort.Next()}");

        var exit = serve.Terminate();

        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Serve_RequestLog_IsOneJsonLinePerRequest()
    {
        using var serve = await ServeProcess.StartAsync($"http://127.0.0.1:{FreePort.Next()}");
        using var http = new HttpClient();

        await http.GetAsync(serve.Url + "/example.com/m/@v/list");
        await serve.WaitForOutputAsync("\"Kind\":\"List\"", seconds: 5);

        var line = Assert.Single(serve.Output, l => l.Contains("\"Kind\":\"List\"", StringComparison.Ordinal));
        using var json = System.Text.Json.JsonDocument.Parse(line);
        var state = json.RootElement.GetProperty("State");
        Assert.Equal("example.com/m", state.GetProperty("Module").GetString());
        Assert.Equal(502, state.GetProperty("Status").GetInt32());
        Assert.True(state.TryGetProperty("Cache", out _));
        Assert.True(state.TryGetProperty("Upstream", out _));
        Assert.True(state.TryGetProperty("DurationMs", out _));
    }
}
