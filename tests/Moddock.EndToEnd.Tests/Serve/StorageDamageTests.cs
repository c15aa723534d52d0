using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.Modules;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Serve;

/// <summary>
/// The storage as an unlucky or careless operator leaves it between two runs of `moddock serve` (a truncated zip
/// from a bad restore, a zip with one bit flipped by a failing disk, an emptied go.mod, an .info link pointing out of the storage, a stray temp file): the real go
/// client still downloads and builds the project, every stored file ends up byte for byte what the upstream sent,
/// and nothing outside the storage is read or touched.
/// </summary>
public sealed class StorageDamageTests
{
    private static string Describe(ProcessResult r) => $"exit {r.ExitCode}\n{r.StdOut}\n{r.StdErr}";

    [Fact]
    public async Task GoModDownloadAndBuild_StoredFilesDamagedAndLinkedOutsideBetweenRuns_RefetchedAndServedWhole()
    {
        var upstreamRoot = FileLayoutProxy.Write(SampleProject.Modules);
        await using var upstream = await UpstreamServer.StartAsync(upstreamRoot);
        var storage = TestEnvironment.NewTempDir("damaged-storage");
        var app = SampleProject.WriteApp();
        using (var first = await ServeProcess.StartAsync(upstream.Url, storage))
        {
            var warm = new GoClient().Run(app, first.Url, "mod", "download", "-json");
            Assert.True(warm.ExitCode == 0, Describe(warm));
            first.Terminate();
        }

        string Stored(TestModule m, string ext) =>
            Path.Combine(storage, ModulePath.Parse(m.Path).Escaped, "@v", ModuleVersion.Parse(m.Version).Escaped + ext);
        var zip = Stored(SampleProject.Greet11, ".zip");
        await File.WriteAllBytesAsync(zip, (await File.ReadAllBytesAsync(zip))[..100]);
        await File.WriteAllBytesAsync(Stored(SampleProject.Words, ".mod"), []);

        // One flipped bit in the middle of another zip: same length, still a well-formed zip's end; only the digest
        // recorded with the file tells. Written in place, as a failing disk or a careless edit would.
        var flipped = Stored(SampleProject.Words, ".zip");
        await using (var edit = new FileStream(flipped, FileMode.Open, FileAccess.ReadWrite))
        {
            edit.Position = edit.Length / 2;
            var b = edit.ReadByte();
            edit.Position = edit.Length / 2;
            edit.WriteByte((byte)(b ^ 0x10));
        }

        var canary = Path.Combine(TestEnvironment.NewTempDir("outside-storage"), "canary.info");
        const string Canary = "{\"Version\":\"v2.0.0\",\"Time\":\"2024-01-02T03:04:05Z\",\"Canary\":\"never served\"}";
        await File.WriteAllTextAsync(canary, Canary);
        var linked = Stored(SampleProject.Upper, ".info");
        File.Delete(linked);
        File.CreateSymbolicLink(linked, canary);
        var stray = Path.Combine(Path.GetDirectoryName(zip)!, ".tmp-0123456789abcdef-v1.1.0.zip");
        await File.WriteAllBytesAsync(stray, [1, 2, 3]);

        using var serve = await ServeProcess.StartAsync(upstream.Url, storage);
        var go = new GoClient();
        var download = go.Run(app, serve.Url, "mod", "download", "-json");
        var build = go.Run(app, serve.Url, "build", "-o", "app", ".");
        var run = ProcessRunner.Run(Path.Combine(app, "app"), [], app);
        using var http = new HttpClient();
        var upperInfo = await http.GetStringAsync(serve.Url + "/example.com/!upper/v2/@v/v2.0.0.info");

        await serve.WaitForOutputAsync("is damaged and is fetched again");

        var context = string.Join('\n', serve.Output);
        Assert.True(download.ExitCode == 0, Describe(download) + context);
        Assert.True(build.ExitCode == 0, Describe(build) + context);
        Assert.Equal("hello world\n", run.StdOut);
        Assert.DoesNotContain("Canary", upperInfo, StringComparison.Ordinal);
        Assert.Equal(Canary, await File.ReadAllTextAsync(canary));
        Assert.Contains(serve.Output, l => l.Contains("is damaged and is fetched again", StringComparison.Ordinal));
        Assert.Contains(serve.Output, l => l.Contains("no longer match the digest", StringComparison.Ordinal));

        // Every stored artifact is again exactly the upstream's, and no link is left in the storage.
        foreach (var m in SampleProject.Modules.Where(m => m != SampleProject.Greet10))
        {
            foreach (var ext in new[] { ".info", ".mod", ".zip" })
            {
                var relative = Path.GetRelativePath(storage, Stored(m, ext));
                if (ext == ".info" || File.Exists(Stored(m, ext)))
                {
                    Assert.Null(new FileInfo(Stored(m, ext)).LinkTarget);
                }

                if (File.Exists(Stored(m, ext)))
                {
                    var stored = await File.ReadAllBytesAsync(Stored(m, ext));
                    var sent = await File.ReadAllBytesAsync(Path.Combine(upstreamRoot, relative));
                    Assert.True(stored.SequenceEqual(sent), $"{relative} differs from the upstream's");
                }
            }
        }

        Assert.True(File.Exists(zip), "the truncated zip was stored again");
        Assert.True(File.Exists(Stored(SampleProject.Words, ".mod")), "the emptied go.mod was stored again");
        Assert.True(File.Exists(flipped), "the zip with a flipped bit was stored again");
    }
}
