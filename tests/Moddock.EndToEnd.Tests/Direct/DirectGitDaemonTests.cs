using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Direct;

/// <summary>
/// The proof over a real network transport: repositories served by `git daemon` on 127.0.0.1,
/// `moddock serve` reaching them over git:// through a `direct.rewrite` rule (allowed because the
/// paths match --insecure), and the real go client through Moddock getting the same Version, h1: and
/// go.mod h1: as `GOPROXY=direct go mod download -json` against the same daemon.
/// </summary>
public sealed class DirectGitDaemonTests
{
    private const string Host = "gitd.test";

    [Fact]
    public async Task GoModDownload_ThroughModdockFromGitDaemon_SameHashesAsGoDirect()
    {
        var temp = TestEnvironment.NewTempDir("e2e-gitd");
        var repos = Path.Combine(temp, "repos");
        var commits = BuildRepositories(repos);
        using var daemon = DirectGitDaemon.Start(repos);

        string[] queries =
        [
            $"{Host}/basic.git@v1.0.0",          // lightweight tag
            $"{Host}/basic.git@v1.1.0",          // annotated tag
            $"{Host}/basic.git@v1.2.0-rc.1",     // pre-release
            $"{Host}/basic.git@feature",         // branch: a pseudo-version on v1.1.0
            $"{Host}/basic.git@{commits[..10]}", // untagged commit by hash prefix: a pseudo-version
            $"{Host}/basic.git@latest",
            $"{Host}/multi.git/sub@v1.0.1",      // prefixed annotated tag, no LICENSE of its own
            $"{Host}/multi.git/v2@v2.0.0",       // /v2 subdirectory
            $"{Host}/legacy.git@v2.0.0+incompatible",
            $"{Host}/content.git@v1.0.0",        // export-ignore, CRLF text, binary, symlinks, vendor, nested module, upper case
            $"{Host}/major.git/v3@v3.0.0",       // a major-suffixed root module
            $"{Host}/major.git/v3@latest",
        ];

        // The reference: the go command itself, https://gitd.test/ rewritten to the daemon by git.
        var direct = Download(temp, "direct", "direct", daemon.Url, queries);
        Assert.Equal(queries.Length, direct.Count);
        Assert.All(direct.Values, r => Assert.Null(r.Error));

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

        var viaModdock = Download(temp, "moddock", serve.Url, null, queries);

        foreach (var (key, expected) in direct)
        {
            Assert.True(viaModdock.TryGetValue(key, out var got), $"{key} missing from the go run through Moddock; server said: {string.Join('\n', serve.Output)}");
            Assert.True(got.Error is null, $"{key}: {got.Error}; server said: {string.Join('\n', serve.Output)}");
            Assert.Equal((key, expected.Version), (key, got.Version));
            Assert.Equal((key, expected.Sum), (key, got.Sum));
            Assert.Equal((key, expected.GoModSum), (key, got.GoModSum));
        }

        // The pseudo-version go computed for the branch, asked for by version through Moddock (a fresh
        // module cache, so Moddock validates it against the commit and the v1.1.0 tag it builds on).
        var pseudo = direct[$"{Host}/basic.git@feature"].Version!;
        var byPseudo = Download(temp, "moddock-pseudo", serve.Url, null, [$"{Host}/basic.git@{pseudo}"])[$"{Host}/basic.git@{pseudo}"];
        Assert.Equal((pseudo, direct[$"{Host}/basic.git@feature"].Sum, (string?)null), (byPseudo.Version, byPseudo.Sum, byPseudo.Error));
        Assert.StartsWith("v1.1.1-0.", pseudo, StringComparison.Ordinal);
        Assert.Equal("v2.0.0+incompatible", viaModdock[$"{Host}/legacy.git@v2.0.0+incompatible"].Version);
        Assert.Equal("v3.1.0", viaModdock[$"{Host}/major.git/v3@latest"].Version);
    }

    /// <summary>The repositories (working repositories named NAME.git, so git daemon finds NAME and NAME.git); returns basic's untagged head.</summary>
    private static string BuildRepositories(string repos)
    {
        var basic = new DirectGitRepoBuilder(Path.Combine(repos, "basic.git"), 200);
        basic.Write("go.mod", $"module {Host}/basic.git\n\ngo 1.19\n").Write("LICENSE", "basic\n").Write("a.go", "package basic\n");
        basic.Commit("one");
        basic.Tag("v1.0.0");
        basic.Write("b.go", "package basic // b\n");
        basic.Commit("two");
        basic.AnnotatedTag("v1.1.0");
        basic.Write("c.go", "package basic // c\n");
        basic.Commit("rc");
        basic.Tag("v1.2.0-rc.1");
        basic.Write("d.go", "package basic // d\n");
        var untagged = basic.Commit("untagged");
        basic.Checkout("feature", create: true);
        basic.Git("reset", "-q", "--hard", "v1.1.0");
        basic.Write("f.go", "package basic // feature\n");
        basic.Commit("feature");
        basic.Checkout("main");

        var multi = new DirectGitRepoBuilder(Path.Combine(repos, "multi.git"), 210);
        multi.Write("go.mod", $"module {Host}/multi.git\n\ngo 1.19\n").Write("LICENSE", "root license, copied into sub\n")
            .Write("sub/go.mod", $"module {Host}/multi.git/sub\n").Write("sub/s.go", "package sub\n")
            .Write("v2/go.mod", $"module {Host}/multi.git/v2\n").Write("v2/v.go", "package multi\n");
        multi.Commit("one");
        multi.Tag("v1.0.0").Tag("sub/v1.0.0").Tag("v2.0.0");
        multi.Write("sub/more.go", "package sub // more\n");
        multi.Commit("two");
        multi.AnnotatedTag("sub/v1.0.1");

        var legacy = new DirectGitRepoBuilder(Path.Combine(repos, "legacy.git"), 220);
        legacy.Write("legacy.go", "package legacy\n");
        legacy.Commit("one");
        legacy.Tag("v1.0.0");
        legacy.Write("legacy2.go", "package legacy // 2\n");
        legacy.Commit("two");
        legacy.AnnotatedTag("v2.0.0");
        var content = new DirectGitRepoBuilder(Path.Combine(repos, "content.git"), 230);
        content.Write("go.mod", $"module {Host}/content.git\n\ngo 1.19\n")
            .Write("LICENSE", "content\n")
            .Write("a.go", "package content\n")
            .WriteZipEdgeCases($"{Host}/content.git", "content");
        content.Commit("one");
        content.Tag("v1.0.0");

        var major = new DirectGitRepoBuilder(Path.Combine(repos, "major.git"), 240);
        major.Write("go.mod", $"module {Host}/major.git/v3\n\ngo 1.19\n").Write("m.go", "package major\n");
        major.Commit("one");
        major.Tag("v3.0.0");
        major.Write("m2.go", "package major // 2\n");
        major.Commit("two");
        major.AnnotatedTag("v3.1.0");
        return untagged;
    }

    /// <summary>One `go mod download -json` for all queries; with daemonUrl, git rewrites https://gitd.test/ to the daemon.</summary>
    private static Dictionary<string, GoDownloadEntry> Download(string temp, string name, string goproxy, string? daemonUrl, string[] queries)
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

        var r = ProcessRunner.Run("go", ["mod", "download", "-json", .. queries], work, env, timeout: TimeSpan.FromMinutes(2));
        var result = GoDownloadJson.ByKey(r.StdOut);

        Assert.True(result.Count > 0, $"go mod download via {goproxy} printed nothing: {r.StdErr}");
        return result;
    }
}
