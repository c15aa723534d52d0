using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Direct;

/// <summary>
/// The release flow of a private module: CI pushes a tag and a consumer runs `go get` at once, through
/// `moddock serve` in direct mode (a git daemon on 127.0.0.1). The go command in direct mode asks git
/// every time and finds the tag; through Moddock the real go client must get the same version and
/// hashes, although Moddock answered for the same repository a moment before (its refs were fresh).
/// </summary>
public sealed class DirectReleaseFlowTests
{
    private const string Host = "gitr.test";

    [Fact]
    public async Task GoModDownload_TagPushedRightAfterAQuery_FoundThroughModdockLikeGoDirect()
    {
        var temp = TestEnvironment.NewTempDir("e2e-release");
        var repos = Path.Combine(temp, "repos");
        var repo = new DirectGitRepoBuilder(Path.Combine(repos, "lib.git"), 250);
        repo.Write("go.mod", $"module {Host}/lib.git\n\ngo 1.19\n").Write("lib.go", "package lib\n");
        repo.Commit("one");
        repo.Tag("v1.0.0");
        using var daemon = DirectGitDaemon.Start(repos);
        var config = Path.Combine(temp, "moddock.yaml");
        File.WriteAllText(config, $"""
            direct:
              probe-timeout: 2s
              rewrite:
                - pattern: {Host}/*
                  url: {daemon.Url}{"{path}"}
            """);
        var env = new Dictionary<string, string> { ["GIT_CONFIG_COUNT"] = "0", ["HOME"] = Path.Combine(temp, "serve-home") };
        using var serve = await ServeProcess.StartAsync("direct", Path.Combine(temp, "storage"), env,
            "--config", config, "--private", Host, "--insecure", Host);

        var first = Download(temp, "first", serve.Url, null, $"{Host}/lib.git@v1.0.0");
        Assert.Null(first.Error);

        repo.Write("lib.go", "package lib // released\n");
        repo.Commit("two");
        repo.AnnotatedTag("v1.1.0");
        var viaModdock = Download(temp, "release", serve.Url, null, $"{Host}/lib.git@v1.1.0");
        var direct = Download(temp, "direct", "direct", daemon.Url, $"{Host}/lib.git@v1.1.0");

        Assert.Null(direct.Error);
        Assert.True(viaModdock.Error is null, $"{viaModdock.Error}; server said: {string.Join('\n', serve.Output)}");
        Assert.Equal((direct.Version, direct.Sum, direct.GoModSum), (viaModdock.Version, viaModdock.Sum, viaModdock.GoModSum));
    }

    private static GoDownloadEntry Download(string temp, string name, string goproxy, string? daemonUrl, string query)
    {
        var t = Path.Combine(temp, "go-" + name);
        var work = Path.Combine(t, "work");
        Directory.CreateDirectory(work);
        var env = GoCommandEnvironment.Isolated(t, goproxy);
        env["GIT_CONFIG_NOSYSTEM"] = "1";
        env["GIT_CONFIG_GLOBAL"] = "/dev/null";
        env["GIT_CONFIG_COUNT"] = daemonUrl is null ? "0" : "1";
        env["GIT_CONFIG_KEY_0"] = $"url.{daemonUrl}.insteadOf";
        env["GIT_CONFIG_VALUE_0"] = $"https://{Host}/";
        env["GOVCS"] = "*:git";
        var r = ProcessRunner.Run("go", ["mod", "download", "-json", query], work, env, timeout: TimeSpan.FromMinutes(2));
        var entries = GoDownloadJson.Parse(r.StdOut);
        Assert.True(entries.Count == 1, $"go mod download via {goproxy} printed {entries.Count} results: {r.StdErr}");
        return entries[0];
    }
}
