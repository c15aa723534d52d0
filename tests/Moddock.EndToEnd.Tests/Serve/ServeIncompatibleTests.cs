using System.Text;
using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.Modules;
using Moddock.Modules.Zip;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Serve;

/// <summary>A v2+ version of a module without a go.mod, asked for without its +incompatible suffix.</summary>
public sealed class ServeIncompatibleTests
{
    private const string Module = "example.com/inc";

    [Fact]
    public async Task GoModDownload_V2OfAModuleWithoutGoMod_ResolvedToIncompatibleAsStraightFromTheUpstream()
    {
        // `go get github.com/docker/docker@v24.0.0` asks the proxy for v24.0.0.info; proxy.golang.org answers
        // v24.0.0+incompatible. The upstream here is a file tree that answers the same way.
        await using var files = await UpstreamServer.StartAsync(WriteUpstream());
        using var serve = await ServeProcess.StartAsync(files.Url, extraArgs: ["--sumdb", "off"]);
        var work = TestEnvironment.NewTempDir("inc-app");
        File.WriteAllText(Path.Combine(work, "go.mod"), "module example.com/app\n\ngo 1.19\n");

        var straight = new GoClient().Run(work, files.Url, "mod", "download", "-json", Module + "@v2.0.0");
        var through = new GoClient().Run(work, serve.Url, "mod", "download", "-json", Module + "@v2.0.0");

        Assert.True(straight.ExitCode == 0, straight.StdErr + straight.StdOut);
        Assert.True(through.ExitCode == 0, through.StdErr + through.StdOut);
        Assert.Contains("\"Version\": \"v2.0.0+incompatible\"", through.StdOut, StringComparison.Ordinal);
        Assert.Equal(Line(straight.StdOut, "\"Sum\""), Line(through.StdOut, "\"Sum\""));
        Assert.Equal(Line(straight.StdOut, "\"GoModSum\""), Line(through.StdOut, "\"GoModSum\""));
    }

    private static string Line(string json, string key) =>
        json.Split('\n').Single(l => l.TrimStart().StartsWith(key, StringComparison.Ordinal)).Trim();

    private static string WriteUpstream()
    {
        var root = TestEnvironment.NewTempDir("inc-upstream");
        var dir = Path.Combine(root, ModulePath.Parse(Module).Escaped, "@v");
        Directory.CreateDirectory(dir);
        const string version = "v2.0.0+incompatible";
        var info = $"{{\"Version\":\"{version}\",\"Time\":\"2024-01-02T03:04:05Z\"}}";

        // The query's answer, as a proxy gives it, and the canonical version's files (no go.mod in the zip).
        File.WriteAllText(Path.Combine(dir, "v2.0.0.info"), info);
        File.WriteAllText(Path.Combine(dir, version + ".info"), info);
        File.WriteAllText(Path.Combine(dir, version + ".mod"), $"module {Module}\n");
        File.WriteAllText(Path.Combine(dir, "list"), version + "\n");
        const string source = "package inc\n\nconst V = 2\n";
        using var zip = File.Create(Path.Combine(dir, version + ".zip"));
        var error = ModuleZip.Create(zip, Module, version, [new ZipSourceFile("inc.go", Encoding.UTF8.GetByteCount(source), () => new MemoryStream(Encoding.UTF8.GetBytes(source)))]);
        Assert.Null(error);
        return root;
    }
}
