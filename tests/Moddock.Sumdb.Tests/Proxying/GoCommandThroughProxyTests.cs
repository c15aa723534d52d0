using System.IO.Compression;
using System.Text;
using Moddock.Sumdb.Proxying;
using Moddock.Sumdb.Tests.Support;
using Moddock.Testing;

namespace Moddock.Sumdb.Tests.Proxying;

/// <summary>
/// The real go command, with GOPROXY at a loopback host that serves modules and Moddock's /sumdb/ endpoint,
/// and GOSUMDB set to a test key: it verifies through Moddock, also once the database is stopped.
/// </summary>
public sealed class GoCommandThroughProxyTests : IDisposable
{
    private const string Name = "sumdb.moddock.test";
    private readonly string _dir = TestEnvironment.NewTempDir("gocmd");
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        foreach (var d in Enumerable.Reverse(_owned))
        {
            d.Dispose();
        }
    }

    [Fact]
    public void GoModDownload_GosumdbThroughModdock_VerifiesOnlineAndFromCacheWithDatabaseStopped()
    {
        var go = SumOracle.Instance;
        var files = Path.Combine(_dir, "proxy");
        var records = new StringBuilder();
        var mods = new[] { "example.com/m00", "example.com/m01", "example.com/m02" };
        foreach (var m in mods)
        {
            var (zip, mod) = WriteModule(files, m, "v1.0.0", "package m\n");
            records.Append($"{m} v1.0.0 {go.Ok("hashzip", zip)[0]}\n{m} v1.0.0/go.mod {go.Ok("hashmod", mod)[0]}\n");
        }

        // A module whose zip differs from what the database recorded (as if the upstream were tampered with).
        var (_, tamperedMod) = WriteModule(files, "example.com/bad", "v1.0.0", "package bad\n");
        var (otherZip, _) = WriteModule(Path.Combine(_dir, "other"), "example.com/bad", "v1.0.0", "package bad // changed\n");
        records.Append($"example.com/bad v1.0.0 {go.Ok("hashzip", otherZip)[0]}\nexample.com/bad v1.0.0/go.mod {go.Ok("hashmod", tamperedMod)[0]}\n");
        var recordsFile = Path.Combine(_dir, "records.txt");
        File.WriteAllText(recordsFile, records.ToString());

        var keys = go.Ok("keygen", Name);
        var db = new GoSumdbServer(keys[0], recordsFile);
        _owned.Add(db);
        var world = new SumdbWorld(0);
        _owned.Add(world);
        var (client, ops, _, _) = world.Client(db.Url, verifier: Moddock.Sumdb.Note.NoteKeys.TryParseVerifier(keys[1], out var v, out _) ? v : null);
        var host = new LoopbackSumdbHost(new SumdbProxyEndpoint(client, ops), files);
        _owned.Add(host);

        var online = GoDownload(host.BaseUrl, keys[1], "cache1", [.. mods.Select(m => m + "@v1.0.0")]);
        Assert.True(online.ExitCode == 0, online.StdErr);
        Assert.Contains($"/sumdb/{Name}/supported", host.Paths);
        Assert.Contains(host.Paths, p => p.StartsWith($"/sumdb/{Name}/lookup/example.com/m01@v1.0.0", StringComparison.Ordinal));
        Assert.Contains(host.Paths, p => p.StartsWith($"/sumdb/{Name}/tile/8/0/", StringComparison.Ordinal));

        var refused = GoDownload(host.BaseUrl, keys[1], "cache2", "example.com/bad@v1.0.0");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("SECURITY ERROR", refused.StdOut + refused.StdErr);

        db.Dispose();
        var offline = GoDownload(host.BaseUrl, keys[1], "cache3", [.. mods.Select(m => m + "@v1.0.0")]);
        Assert.True(offline.ExitCode == 0, offline.StdErr);
    }

    private ProcessResult GoDownload(string proxy, string gosumdb, string cache, params string[] modules)
    {
        var root = Path.Combine(_dir, cache);
        var work = Path.Combine(root, "work");
        Directory.CreateDirectory(work);
        var env = GoCommandEnvironment.Isolated(root, proxy, gosumdb);
        return ProcessRunner.Run("go", ["mod", "download", "-json", .. modules], work, env, timeout: TimeSpan.FromSeconds(90));
    }

    // A file-layout proxy entry: list, .info, .mod and a module zip. Returns (zip path, go.mod path).
    private static (string Zip, string Mod) WriteModule(string root, string module, string version, string source)
    {
        var dir = Path.Combine(root, module, "@v");
        Directory.CreateDirectory(dir);
        var goMod = $"module {module}\n\ngo 1.19\n";
        File.WriteAllText(Path.Combine(dir, "list"), version + "\n");
        File.WriteAllText(Path.Combine(dir, version + ".info"), $"{{\"Version\":\"{version}\",\"Time\":\"2024-01-01T00:00:00Z\"}}");
        File.WriteAllText(Path.Combine(dir, version + ".mod"), goMod);
        var zip = Path.Combine(dir, version + ".zip");
        using (var fs = File.Create(zip))
        using (var z = new ZipArchive(fs, ZipArchiveMode.Create))
        {
            foreach (var (name, text) in new[] { ("go.mod", goMod), ("m.go", source) })
            {
                using var w = new StreamWriter(z.CreateEntry($"{module}@{version}/{name}").Open());
                w.Write(text);
            }
        }

        return (zip, Path.Combine(dir, version + ".mod"));
    }
}
