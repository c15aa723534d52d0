using System.Text.Json;
using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Doctor;

/// <summary>
/// `moddock explain` on what the real go command printed through a real `moddock serve`: the texts Moddock
/// writes for its clients and the explain rules that read them are checked together.
/// </summary>
public sealed class ExplainThroughModdockTests
{
    [Fact]
    public async Task Explain_GoLookupOfPrivatePathRefusedByModdock_PrivateRouteWithGonosumdbFix()
    {
        var lib = new TestModule("example.com/private/lib", "v1.0.0", "module example.com/private/lib\n\ngo 1.18\n",
            new Dictionary<string, string> { ["lib.go"] = "package lib\n" });
        await using var upstream = await UpstreamServer.StartAsync(FileLayoutProxy.Write([lib]));
        // The public database is configured but never reached: the private path's lookup is refused before.
        using var serve = await ServeProcess.StartAsync(upstream.Url, extraArgs: ["--sumdb", "sum.golang.org", "--nosumdb", "example.com/private"]);
        var work = TestEnvironment.NewTempDir("explain-private");
        await File.WriteAllTextAsync(Path.Combine(work, "go.mod"), "module example.com/app\n\ngo 1.18\n\nrequire example.com/private/lib v1.0.0\n");
        var env = GoCommandEnvironment.Isolated(TestEnvironment.NewTempDir("explain-private-go"), serve.Url, gosumdb: "sum.golang.org");
        env["GOFLAGS"] = "-mod=mod -modcacherw";

        var go = ProcessRunner.Run("go", ["mod", "download", "example.com/private/lib"], work, env, timeout: TimeSpan.FromSeconds(120));
        Assert.NotEqual(0, go.ExitCode);
        Assert.Contains("403 Forbidden", go.StdErr, StringComparison.Ordinal);

        var explain = ProcessRunner.Run(TestEnvironment.Cli, ["explain", "--json"], work, stdin: go.StdErr, timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(1, explain.ExitCode);
        using var json = JsonDocument.Parse(explain.StdOut);
        var f = Assert.Single(json.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("config.private_module_public_route", f.GetProperty("cause").GetString());
        Assert.Equal("sumdb", f.GetProperty("where").GetString());
        Assert.Equal("go env -w GONOSUMDB=example.com", f.GetProperty("fix").GetString());
    }
}
