using System.Text.Json;
using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.Testing;
using Xunit.Abstractions;

namespace Moddock.EndToEnd.Tests.Sumdb;

/// <summary>
/// `moddock serve --upstream direct --private ... --private-sumdb-key FILE` with the real go command as
/// client and GOSUMDB set to Moddock's private log: the client verifies private modules fetched from local
/// git repositories through the log, accepts the grown tree after a new tag, and a moved tag is refused.
/// </summary>
public sealed class PrivateSumdbGoClientTests(ITestOutputHelper output) : IDisposable
{
    // Two path elements on purpose: the /sumdb/ route must not take the first element for the name.
    private const string Name = "moddock.internal/private";
    private const string Module = "example.test/sumdb-priv.git";
    private readonly string _dir = TestEnvironment.NewTempDir("e2e-private-sumdb");
    private readonly List<string> _serveLog = [];
    private ServeProcess? _serve;

    public void Dispose()
    {
        Stop();
        output.WriteLine("moddock serve log:\n" + string.Join('\n', _serveLog));
    }

    [Fact]
    public async Task GoModDownload_WithPrivateLogAsGosumdb_VerifiesAcceptsGrownTreeAndRefusesMovedTag()
    {
        var keygen = ProcessRunner.Run(TestEnvironment.Cli, ["sumdb", "keygen", Name], timeout: TimeSpan.FromSeconds(60));
        Assert.True(keygen.ExitCode == 0, keygen.StdErr);
        var verifierKey = keygen.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Trim();
        var keyFile = Path.Combine(_dir, "private-sumdb.key");
        File.WriteAllText(keyFile, keygen.StdOut);

        var repo = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("sumdb-priv"), 120);
        repo.Write("go.mod", $"module {Module}\n\ngo 1.19\n").Write("p.go", "package p\n");
        repo.Commit("one");
        repo.Tag("v1.0.0");

        var storage = Path.Combine(_dir, "storage");
        var url = await StartServeAsync(storage, keyFile);
        var gosumdb = $"{verifierKey} {url}/sumdb/{Name}";

        // 1. A version the log has never seen: the go command's lookup makes Moddock fetch and log it.
        var first = GoDownload(url, gosumdb, "c1", $"{Module}@v1.0.0");
        Assert.True(first.Run.ExitCode == 0, first.Run.StdOut + first.Run.StdErr);
        var sum100 = first.Sum;
        Assert.StartsWith("h1:", sum100);
        Assert.Contains($"{Module} v1.0.0 {sum100}\n", await LookupAsync(url, "v1.0.0"));
        Assert.Equal("1", LatestTreeSize("c1"));

        // 2. A new tag grows the log; the same GOPATH keeps its latest tree, so go checks the new one proves
        // it is an extension of the old (consistency proof through the tiles) and the log survived a restart.
        repo.Write("q.go", "package p // q\n");
        repo.Commit("two");
        repo.Tag("v1.1.0");

        // Restart on the same storage: Moddock asks a git mirror for new refs at most every 10 s (in memory),
        // and the log must survive a restart anyway.
        Stop();
        url = await StartServeAsync(storage, keyFile);
        gosumdb = $"{verifierKey} {url}/sumdb/{Name}";
        var second = GoDownload(url, gosumdb, "c1", $"{Module}@v1.1.0");
        Assert.True(second.Run.ExitCode == 0, second.Run.StdOut + second.Run.StdErr);
        Assert.Equal("2", LatestTreeSize("c1"));

        // 3. Move v1.0.0 to other content and make Moddock fetch it again (its module cache and git mirror
        // gone, its private log kept): the different hash is refused, never logged, never served.
        Stop();
        foreach (var d in Directory.GetDirectories(storage).Where(d => Path.GetFileName(d) != "sumdb-private"))
        {
            Directory.Delete(d, recursive: true);
        }

        repo.Write("p.go", "package p // moved\n");
        repo.Commit("three");
        repo.Git("tag", "-f", "v1.0.0");
        url = await StartServeAsync(storage, keyFile);
        gosumdb = $"{verifierKey} {url}/sumdb/{Name}";
        var moved = GoDownload(url, gosumdb, "c2", $"{Module}@v1.0.0");
        output.WriteLine("moved tag, go says: " + moved.Run.StdOut + moved.Run.StdErr);
        Assert.NotEqual(0, moved.Run.ExitCode);
        Assert.Contains($"{Module}@v1.0.0", moved.Run.StdOut + moved.Run.StdErr);
        Assert.NotEqual(sum100, moved.Sum);
        Assert.Contains($"{Module} v1.0.0 {sum100}\n", await LookupAsync(url, "v1.0.0"));
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "c2"), "v1.0.0.zip", SearchOption.AllDirectories));
    }

    private static async Task<string> LookupAsync(string url, string version)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        return await http.GetStringAsync($"{url}/sumdb/{Name}/lookup/{Module}@{version}");
    }

    // The go command keeps the newest tree it has verified in $GOPATH/pkg/sumdb/NAME/latest ("go.sum database tree\nN\nHASH\n— sig").
    private string LatestTreeSize(string cache) =>
        File.ReadAllText(Path.Combine(_dir, cache, "gopath", "pkg", "sumdb", Name, "latest")).Split('\n')[1];

    private async Task<string> StartServeAsync(string storage, string keyFile)
    {
        var env = DirectExampleHost.Variables(DirectExampleHost.Root).ToDictionary(v => v.Key, v => v.Value ?? "", StringComparer.Ordinal);
        _serve = await ServeProcess.StartAsync("direct", storage, env, "--private", "example.test/*", "--private-sumdb-key", keyFile);
        return _serve.Url;
    }

    private void Stop()
    {
        if (_serve is null)
        {
            return;
        }

        _serveLog.AddRange(_serve.Output);
        _serve.Dispose();
        _serve = null;
    }

    private (ProcessResult Run, string? Sum) GoDownload(string proxy, string gosumdb, string cache, string module)
    {
        var root = Path.Combine(_dir, cache);
        var work = Path.Combine(root, "work");
        Directory.CreateDirectory(work);
        var env = GoCommandEnvironment.Isolated(root, proxy, gosumdb);
        var r = ProcessRunner.Run("go", ["mod", "download", "-json", module], work, env, timeout: TimeSpan.FromSeconds(60));
        string? sum = null;
        if (r.StdOut.Trim().Length > 0)
        {
            using var doc = JsonDocument.Parse(r.StdOut);
            sum = doc.RootElement.TryGetProperty("Sum", out var s) ? s.GetString() : null;
        }

        return (r, sum);
    }
}
