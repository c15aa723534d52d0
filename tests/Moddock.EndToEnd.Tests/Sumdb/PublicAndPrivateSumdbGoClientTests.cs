using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.EndToEnd.Tests.Sumdb.Support;
using Moddock.Testing;
using Xunit.Abstractions;

namespace Moddock.EndToEnd.Tests.Sumdb;

/// <summary>
/// The README's two ways to combine Moddock's private checksum log with the public database, each with the
/// real go command. Moddock runs with --sumdb set to x/mod's real test database (the sumoracle program), a
/// file-layout upstream for public modules, and --private modules from local git logged in its private log.
/// A go command checks against exactly one GOSUMDB (cmd/go/internal/modfetch/sumdb.go, dbDial), so:
/// 1. GOSUMDB = the private log: one go run verifies public and private modules against the private log;
///    Moddock logs a public version only after verifying it against the public database.
/// 2. GOSUMDB = the public database's key (reached through GOPROXY/sumdb/NAME), GONOSUMDB = the private paths.
/// </summary>
public sealed class PublicAndPrivateSumdbGoClientTests(ITestOutputHelper output)
{
    private const string PrivateName = "moddock.internal/private";
    private const string PublicName = "sumdb.combo.test";
    private const string Public = "example.com/combo-pub";
    private const string Tampered = "example.com/combo-bad";
    private const string Private = "example.test/sumdb-combo.git";
    private readonly string _dir = TestEnvironment.NewTempDir("e2e-sumdb-combo");

    [Fact]
    public async Task GoModDownload_PublicAndPrivateModules_BothReadmeSetUpsVerify()
    {
        // The public database knows combo-pub and the real combo-bad; the upstream serves an altered combo-bad zip.
        var files = Path.Combine(_dir, "upstream");
        var (pubZip, pubMod) = SumdbTestModules.WriteModule(files, Public, "package pub\n");
        var (badZip, badMod) = SumdbTestModules.WriteModule(Path.Combine(_dir, "good"), Tampered, "package bad\n");
        SumdbTestModules.WriteModule(files, Tampered, "package bad // altered by the upstream\n");
        var answers = SumdbTestModules.Ask(["keygen", PublicName], ["hashzip", pubZip], ["hashmod", pubMod], ["hashzip", badZip], ["hashmod", badMod]);
        var dbKeys = answers[0].Split('\t');
        var (pubH1, badH1) = (answers[1], answers[3]);
        var records = Path.Combine(_dir, "records.txt");
        File.WriteAllText(records, $"{Public} v1.0.0 {pubH1}\n{Public} v1.0.0/go.mod {answers[2]}\n{Tampered} v1.0.0 {badH1}\n{Tampered} v1.0.0/go.mod {answers[4]}\n");
        using var db = new GoSumdbServer(dbKeys[0], records);
        var dbUrl = db.Url.ToString().TrimEnd('/');

        var repo = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("sumdb-combo"), 130);
        repo.Write("go.mod", $"module {Private}\n\ngo 1.19\n").Write("p.go", "package p\n");
        repo.Commit("one");
        repo.Tag("v1.0.0");

        var keygen = ProcessRunner.Run(TestEnvironment.Cli, ["sumdb", "keygen", PrivateName], timeout: TimeSpan.FromSeconds(60));
        Assert.True(keygen.ExitCode == 0, keygen.StdErr);
        var privateVerifier = keygen.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Trim();
        var keyFile = Path.Combine(_dir, "private-sumdb.key");
        File.WriteAllText(keyFile, keygen.StdOut);

        await using var upstream = await UpstreamServer.StartAsync(files);
        var storage = Path.Combine(_dir, "storage");
        using var serve = await TlsServeProcess.StartAsync(
            [
                "--storage", storage, "--upstream", upstream.Url + ",direct", "--private", "example.test",
                "--private-sumdb-key", keyFile, "--sumdb", $"{dbKeys[1]} {dbUrl}",
            ],
            trust: null,
            DirectExampleHost.Variables(DirectExampleHost.Root));
        try
        {
            // Set-up 1, exactly as the README says: GOSUMDB="<verifier line> URL/sumdb/NAME" GONOSUMDB= GOPRIVATE=.
            var setUp1 = new Dictionary<string, string?> { ["GOSUMDB"] = $"{privateVerifier} {serve.Url}/sumdb/{PrivateName}", ["GONOSUMDB"] = "", ["GOPRIVATE"] = "" };
            var one = GoDownload(serve.Url, setUp1, "one", $"{Public}@v1.0.0", $"{Private}@v1.0.0");
            Assert.True(one.Run.ExitCode == 0, one.Run.StdOut + one.Run.StdErr);
            Assert.Equal(pubH1, one.Sums[Public]);
            Assert.StartsWith("h1:", one.Sums[Private], StringComparison.Ordinal);
            // The client checked both against the private log (a tree of both records), and Moddock asked the
            // public database about the public module before logging it with the database's hash.
            Assert.Equal("2", TreeSize("one", PrivateName));
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(storage, "sumdb"), "combo-pub@v1.0.0", SearchOption.AllDirectories));
            Assert.Contains($"{Public} v1.0.0 {pubH1}\n", await LookupAsync(serve.Url, PrivateName, Public));
            Assert.Contains($"{Private} v1.0.0 {one.Sums[Private]}\n", await LookupAsync(serve.Url, PrivateName, Private));

            // Set-up 1 still refuses public content the public database disagrees with: Moddock does not log it.
            var bad = GoDownload(serve.Url, setUp1, "bad", $"{Tampered}@v1.0.0");
            output.WriteLine("tampered public module, go says: " + bad.Run.StdOut + bad.Run.StdErr);
            Assert.NotEqual(0, bad.Run.ExitCode);
            Assert.Contains(badH1, bad.Run.StdOut + bad.Run.StdErr, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "bad"), "v1.0.0.zip", SearchOption.AllDirectories));

            // Set-up 2: GOSUMDB is the public database by key only, so the client reaches it through
            // GOPROXY/sumdb/NAME (it has no other address for it); the private paths are in GONOSUMDB.
            var setUp2 = new Dictionary<string, string?> { ["GOSUMDB"] = dbKeys[1], ["GONOSUMDB"] = "example.test", ["GOPRIVATE"] = "" };
            var two = GoDownload(serve.Url, setUp2, "two", $"{Public}@v1.0.0", $"{Private}@v1.0.0");
            Assert.True(two.Run.ExitCode == 0, two.Run.StdOut + two.Run.StdErr);
            Assert.Equal(one.Sums, two.Sums);
            // (The tree the client saw is the one Moddock cached with its first lookup: its size is not asserted.)
            Assert.True(int.Parse(TreeSize("two", PublicName), System.Globalization.CultureInfo.InvariantCulture) > 0);
            // The request log is written in batches (up to 20 ms) and read from the process asynchronously.
            var logged = SpinWait.SpinUntil(() => serve.Output.Any(l => l.Contains($"GET {PublicName} lookup/{Public}@v1.0.0", StringComparison.Ordinal)), TimeSpan.FromSeconds(10));
            Assert.True(logged, "no request log line for the client's lookup through /sumdb/");
            Assert.False(Directory.Exists(Path.Combine(_dir, "two", "gopath", "pkg", "sumdb", PrivateName)));
        }
        finally
        {
            foreach (var line in serve.Output)
            {
                output.WriteLine(line);
            }
        }
    }

    private static async Task<string> LookupAsync(string url, string name, string module)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        return await http.GetStringAsync($"{url}/sumdb/{name}/lookup/{module}@v1.0.0");
    }

    // The go command keeps the newest tree it verified in $GOPATH/pkg/sumdb/NAME/latest ("go.sum database tree\nN\nHASH\n...").
    private string TreeSize(string run, string name) =>
        File.ReadAllText(Path.Combine(_dir, run, "gopath", "pkg", "sumdb", name, "latest")).Split('\n')[1];

    private (ProcessResult Run, Dictionary<string, string> Sums) GoDownload(string proxy, Dictionary<string, string?> sumdb, string run, params string[] modules)
    {
        var root = Path.Combine(_dir, run);
        var work = Path.Combine(root, "work");
        Directory.CreateDirectory(work);
        var env = GoCommandEnvironment.Isolated(root, proxy);
        foreach (var (k, v) in sumdb)
        {
            env[k] = v;
        }

        var r = ProcessRunner.Run("go", ["mod", "download", "-json", .. modules], work, env, timeout: TimeSpan.FromSeconds(60));
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in GoDownloadJson.Parse(r.StdOut).Where(e => e.Sum is not null))
        {
            sums[e.Path] = e.Sum!;
        }

        return (r, sums);
    }
}
