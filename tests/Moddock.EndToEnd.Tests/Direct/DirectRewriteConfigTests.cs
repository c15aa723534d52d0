using System.Text.Json;
using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Direct;

/// <summary>
/// A `direct.rewrite` rule in the serve YAML maps a module path whose host does not exist
/// (git.corp.example) to a local repository, and the go command downloads it through the built `moddock serve`.
/// </summary>
public sealed class DirectRewriteConfigTests
{
    [Fact]
    public async Task GoModDownload_RewriteRuleFromYaml_ServesModuleFromMappedRepository()
    {
        var temp = TestEnvironment.NewTempDir("e2e-rewrite");
        var repos = Path.Combine(temp, "repos");
        var repo = new DirectGitRepoBuilder(Path.Combine(repos, "team", "lib.git"), 120);
        repo.Write("go.mod", "module git.corp.example/team/lib\n\ngo 1.19\n").Write("lib.go", "package lib\n\nconst Answer = 42\n").Write("LICENSE", "corp\n");
        repo.Commit("one");
        repo.Tag("v1.0.0");

        // {path} is the matched elements after the host, so this rule maps git.corp.example/A/B to <repos>/A/B.git.
        var config = Path.Combine(temp, "moddock.yaml");
        File.WriteAllText(config, $"""
            direct:
              probe-timeout: 2s
              rewrite:
                - pattern: git.corp.example/*/*
                  url: file://{repos}/{"{path}"}.git
            """);
        var env = new Dictionary<string, string> { ["GIT_CONFIG_COUNT"] = "0", ["HOME"] = Path.Combine(temp, "serve-home") };
        using var serve = await ServeProcess.StartAsync("direct", Path.Combine(temp, "storage"), env, "--config", config, "--private", "git.corp.example");

        var work = Path.Combine(temp, "work");
        Directory.CreateDirectory(work);
        var goEnv = GoCommandEnvironment.Isolated(temp, serve.Url);
        goEnv["GIT_CONFIG_COUNT"] = "0";
        var r = ProcessRunner.Run("go", ["mod", "download", "-json", "git.corp.example/team/lib@v1.0.0"], work, goEnv, timeout: TimeSpan.FromSeconds(60));

        using var doc = JsonDocument.Parse(r.StdOut);
        var e = doc.RootElement;
        Assert.False(e.TryGetProperty("Error", out var error), $"go reported {error}; server said: {string.Join('\n', serve.Output)}");
        Assert.Equal("v1.0.0", e.GetProperty("Version").GetString());
        Assert.StartsWith("h1:", e.GetProperty("Sum").GetString(), StringComparison.Ordinal);
        var dir = e.GetProperty("Dir").GetString()!;
        Assert.Equal("package lib\n\nconst Answer = 42\n", await File.ReadAllTextAsync(Path.Combine(dir, "lib.go")));
    }
}
