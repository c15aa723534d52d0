using System.Text;
using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.EndToEnd.Tests.Sumdb.Support;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Sumdb;

/// <summary>
/// `moddock serve --sumdb "KEY URL"` in front of x/mod's real checksum database (run by the sumoracle Go
/// program) and a file-layout upstream, with the real go command as client (GOSUMDB=KEY through /sumdb/).
/// </summary>
public sealed class SumdbServeGoClientTests
{
    private const string Name = "sumdb.moddock.test";
    private readonly string _dir = TestEnvironment.NewTempDir("e2e-sumdb");

    [Fact]
    public async Task GoModDownload_ThroughModdockWithSumdb_VerifiesRefusesTamperedAndWorksWithDatabaseStopped()
    {
        var files = Path.Combine(_dir, "upstream");
        var good = Path.Combine(_dir, "good");
        var records = new StringBuilder();
        foreach (var m in new[] { "example.com/m00", "example.com/m01" })
        {
            var (zip, mod) = SumdbTestModules.WriteModule(files, m, "package m\n");
            records.Append($"{m} v1.0.0 {Oracle("hashzip", zip)}\n{m} v1.0.0/go.mod {Oracle("hashmod", mod)}\n");
        }

        // The database knows the real example.com/bad; the upstream serves altered content for it.
        var (goodZip, goodMod) = SumdbTestModules.WriteModule(good, "example.com/bad", "package bad\n");
        SumdbTestModules.WriteModule(files, "example.com/bad", "package bad // altered upstream\n");
        records.Append($"example.com/bad v1.0.0 {Oracle("hashzip", goodZip)}\nexample.com/bad v1.0.0/go.mod {Oracle("hashmod", goodMod)}\n");
        var recordsFile = Path.Combine(_dir, "records.txt");
        File.WriteAllText(recordsFile, records.ToString());
        var keys = Oracle("keygen", Name).Split('\t');
        using var db = new GoSumdbServer(keys[0], recordsFile);
        var dbUrl = db.Url.ToString().TrimEnd('/');

        await using var upstream = await UpstreamServer.StartAsync(files);
        var storage = Path.Combine(_dir, "storage");
        using var moddock = await ServeProcess.StartAsync(upstream.Url, storage, null, "--sumdb", $"{keys[1]} {dbUrl}");
        var serve = moddock.Url;

        var online = GoDownload(serve, keys[1], "c1", "example.com/m00@v1.0.0", "example.com/m01@v1.0.0");
        Assert.True(online.ExitCode == 0, online.StdOut + online.StdErr);
        Assert.True(Directory.GetFiles(storage, "m01@v1.0.0", SearchOption.AllDirectories).Length > 0, "moddock did not look the module up before storing it");

        var tampered = GoDownload(serve, keys[1], "c2", "example.com/bad@v1.0.0");
        Assert.NotEqual(0, tampered.ExitCode);
        // The go command prints Moddock's text/plain reason: both hashes, so the user sees what was refused.
        var said = tampered.StdOut + tampered.StdErr;
        Assert.Contains("example.com/bad@v1.0.0", said);
        Assert.Contains("checksum mismatch", said);
        Assert.Contains(Oracle("hashzip", goodZip), said);

        // Once the upstream is fixed, the same version is served: nothing bad was cached.
        File.Copy(goodZip, Path.Combine(files, "example.com/bad/@v/v1.0.0.zip"), overwrite: true);
        var fixedRun = GoDownload(serve, keys[1], "c3", "example.com/bad@v1.0.0");
        Assert.True(fixedRun.ExitCode == 0, fixedRun.StdOut + fixedRun.StdErr);

        db.Dispose();
        var offline = GoDownload(serve, keys[1], "c4", "example.com/m00@v1.0.0", "example.com/m01@v1.0.0");
        Assert.True(offline.ExitCode == 0, offline.StdOut + offline.StdErr);
    }

    private static string Oracle(params string[] question) => SumdbTestModules.Ask(question)[0];

    private ProcessResult GoDownload(string proxy, string gosumdb, string cache, params string[] modules)
    {
        var root = Path.Combine(_dir, cache);
        var work = Path.Combine(root, "work");
        Directory.CreateDirectory(work);
        var env = GoCommandEnvironment.Isolated(root, proxy, gosumdb);
        return ProcessRunner.Run("go", ["mod", "download", "-json", .. modules], work, env, timeout: TimeSpan.FromSeconds(90));
    }
}
