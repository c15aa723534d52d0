using System.Net;
using System.Text.Json;
using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.Modules;
using Moddock.Modules.Zip;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Direct;

/// <summary>
/// Two real `moddock serve` processes in direct mode on one --storage, so one git mirror of one repository
/// (STORAGE/vcs/&lt;id&gt;, guarded by its OS lock file): first fetches of different versions through both at once
/// all succeed, give the hashes `GOPROXY=direct go mod download` computes, and leave a mirror `git fsck` accepts.
/// </summary>
public sealed class SharedStorageDirectTests
{
    private const string Host = "shared.test";
    private const string Module = Host + "/lib.git";

    [Fact]
    public async Task Direct_TwoProcessesOneStorageConcurrentFirstFetches_GoDirectHashesAndCleanMirror()
    {
        var temp = TestEnvironment.NewTempDir("e2e-shared-direct");
        var repos = Path.Combine(temp, "repos");
        var versions = BuildRepository(Path.Combine(repos, "lib.git"));

        var config = Path.Combine(temp, "moddock.yaml");
        File.WriteAllText(config, $"""
            direct:
              probe-timeout: 2s
              rewrite:
                - pattern: {Host}/*
                  url: file://{repos}/{"{path}"}
            """);
        var storage = Path.Combine(temp, "storage");
        var env = new Dictionary<string, string> { ["GIT_CONFIG_COUNT"] = "0", ["HOME"] = Path.Combine(temp, "serve-home") };
        using var a = await ServeProcess.StartAsync("direct", storage, env, "--config", config, "--private", Host);
        using var b = await ServeProcess.StartAsync("direct", storage, env, "--config", config, "--private", Host);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(90) };

        // Every version's .info, .mod and .zip through both processes at once, twice over: the two race to create the
        // one mirror, to fetch different versions' commits into it, to make each zip from it and to commit it.
        var requests = from round in Enumerable.Range(0, 2)
                       from version in versions
                       from kind in new[] { ".info", ".mod", ".zip" }
                       from serve in new[] { a, b }
                       select GetAsync(http, serve, version, kind);
        var answers = await Task.WhenAll(requests);
        var context = $"A said:\n{string.Join('\n', a.Output)}\nB said:\n{string.Join('\n', b.Output)}";
        Assert.All(answers, r => Assert.True(r.Status == HttpStatusCode.OK, $"{r.Url}: {(int)r.Status} {System.Text.Encoding.UTF8.GetString(r.Body)}\n{context}"));

        // Then every zip through both: a hit on the shared store, whichever process's copy won, once it is in place
        // (answers go out before their commits).
        foreach (var version in versions)
        {
            await StoredFile.WaitAsync(Path.Combine(storage, ModulePath.Parse(Module).Escaped, "@v", version + ".zip"));
        }

        var again = await Task.WhenAll(from version in versions from serve in new[] { a, b } select GetAsync(http, serve, version, ".zip"));
        Assert.All(again, r => Assert.True(r.Status == HttpStatusCode.OK && r.Cache == "hit", $"{r.Url}: {(int)r.Status} {r.Cache} {System.Text.Encoding.UTF8.GetString(r.Body)}\n{context}"));
        answers = [.. answers, .. again];

        // The reference: the go command itself, https://shared.test/ rewritten by git to the same repositories.
        var expected = GoDirect(temp, repos, versions);
        foreach (var version in versions)
        {
            var (sum, goModSum) = expected[version];
            foreach (var r in answers.Where(r => r.Version == version))
            {
                switch (r.Kind)
                {
                    case ".info":
                        using (var info = JsonDocument.Parse(r.Body))
                        {
                            Assert.Equal((r.Url, version), (r.Url, info.RootElement.GetProperty("Version").GetString()));
                        }

                        break;
                    case ".mod":
                        Assert.Equal((r.Url, goModSum), (r.Url, DirHash.HashGoMod(r.Body)));
                        break;
                    default:
                        Assert.Equal((r.Url, sum), (r.Url, HashZip(temp, r.Body)));
                        break;
                }
            }

            var stored = Path.Combine(storage, ModulePath.Parse(Module).Escaped, "@v", version + ".zip");
            Assert.Equal((version, sum), (version, DirHash.HashZip(stored)));
        }

        // One remote URL, so one mirror, and git finds it sound; nothing half-built or spooled is left.
        var vcs = Path.Combine(storage, "vcs");
        var mirrors = Directory.GetDirectories(vcs).Where(d => Directory.Exists(Path.Combine(d, "objects"))).ToList();
        Assert.Single(mirrors);
        var fsck = ProcessRunner.Run("git", ["--git-dir", mirrors[0], "fsck", "--full", "--strict", "--no-progress", "--no-dangling"], temp,
            new Dictionary<string, string?> { ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_CONFIG_GLOBAL"] = "/dev/null", ["GIT_CONFIG_COUNT"] = "0" },
            timeout: TimeSpan.FromSeconds(60));
        // A mirror's HEAD names a branch it never fetched, which fsck only notes ("notice: HEAD points to an unborn branch").
        var problems = (fsck.StdOut + "\n" + fsck.StdErr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("notice:", StringComparison.Ordinal));
        Assert.True(fsck.ExitCode == 0 && !problems.Any(), $"git fsck: exit {fsck.ExitCode}\n{fsck.StdOut}\n{fsck.StdErr}");
        Assert.Empty(Directory.GetDirectories(vcs, "*.init-*"));
        Assert.Empty(Directory.Exists(Path.Combine(vcs, "tmp")) ? Directory.GetFiles(Path.Combine(vcs, "tmp")) : []);
        Assert.Empty(Directory.GetFiles(storage, ".tmp-*", SearchOption.AllDirectories));
    }

    /// <summary>A repository with six releases, lightweight and annotated tags in turn; returns the versions.</summary>
    private static List<string> BuildRepository(string dir)
    {
        var repo = new DirectGitRepoBuilder(dir, 300);
        repo.Write("go.mod", $"module {Module}\n\ngo 1.19\n").Write("LICENSE", "shared\n");
        var versions = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            repo.Write($"f{i}.go", $"package lib\n\nconst F{i} = {i}\n");
            repo.Commit("release " + i);
            var version = $"v1.{i}.0";
            if (i % 2 == 0)
            {
                repo.Tag(version);
            }
            else
            {
                repo.AnnotatedTag(version);
            }

            versions.Add(version);
        }

        return versions;
    }

    /// <summary>`GOPROXY=direct go mod download -json` of every version; returns each version's Sum and GoModSum.</summary>
    private static Dictionary<string, (string Sum, string GoModSum)> GoDirect(string temp, string repos, List<string> versions)
    {
        var t = Path.Combine(temp, "go-direct");
        var work = Path.Combine(t, "work");
        Directory.CreateDirectory(work);
        var env = GoCommandEnvironment.Isolated(t, "direct");
        env["GIT_CONFIG_NOSYSTEM"] = "1";
        env["GIT_CONFIG_GLOBAL"] = "/dev/null";
        env["GIT_CONFIG_COUNT"] = "1";
        env["GIT_CONFIG_KEY_0"] = $"url.file://{repos}/.insteadOf";
        env["GIT_CONFIG_VALUE_0"] = $"https://{Host}/";
        env["GOVCS"] = "*:git";
        var r = ProcessRunner.Run("go", ["mod", "download", "-json", .. versions.Select(v => $"{Module}@{v}")], work, env, timeout: TimeSpan.FromMinutes(2));

        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var e in GoDownloadJson.Parse(r.StdOut))
        {
            Assert.True(e.Error is null, $"go direct: {e.Error}");
            result[e.Version!] = (e.Sum!, e.GoModSum!);
        }

        Assert.True(result.Count == versions.Count, $"go direct: exit {r.ExitCode}\n{r.StdOut}\n{r.StdErr}");
        return result;
    }

    private static string HashZip(string temp, byte[] zip)
    {
        var file = Path.Combine(temp, "answer-" + Guid.NewGuid().ToString("N") + ".zip");
        File.WriteAllBytes(file, zip);
        try
        {
            return DirHash.HashZip(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<Answer> GetAsync(HttpClient http, ServeProcess serve, string version, string kind)
    {
        var url = $"{serve.Url}/{ModulePath.Parse(Module).Escaped}/@v/{version}{kind}";
        using var response = await http.GetAsync(url);
        var cache = response.Headers.TryGetValues("X-Moddock-Cache", out var values) ? string.Join(',', values) : "";
        return new Answer(version, kind, url, response.StatusCode, cache, await response.Content.ReadAsByteArrayAsync());
    }

    private sealed record Answer(string Version, string Kind, string Url, HttpStatusCode Status, string Cache, byte[] Body);
}
