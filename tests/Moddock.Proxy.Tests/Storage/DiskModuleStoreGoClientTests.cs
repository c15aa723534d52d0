using System.Text;
using Moddock.Proxy.Tests.Support;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Storage;

/// <summary>The storage root is itself a file:// GOPROXY: the real go command downloads from it.</summary>
public sealed class DiskModuleStoreGoClientTests
{
    [Fact]
    public async Task StorageRoot_AsFileGoproxy_GoModDownloadSucceedsWithSameHash()
    {
        var m = new TestModule("example.com/Mixed/Case", "v1.4.0-RC.1");
        var h = ResolverHarness.Over(new FakeSource("up", m));
        foreach (var kind in new[] { ArtifactKind.List, ArtifactKind.Info, ArtifactKind.Mod, ArtifactKind.Zip })
        {
            await ResolverHarness.ReadAsync(await h.GetAsync(m.Path, kind, kind == ArtifactKind.List ? null : m.Version.Value));
        }

        // Each artifact is answered once verified and committed durably just after: the go command reads the
        // files themselves, so wait until every fetch (and its commit) has ended.
        await h.SettledAsync();

        var t = TestEnvironment.NewTempDir("go-file-proxy");
        var env = GoCommandEnvironment.Isolated(t, "file://" + h.Root);

        var r = ProcessRunner.Run("go", ["mod", "download", "-json", $"{m.Path}@{m.Version}"], workingDirectory: t, env: env, timeout: TimeSpan.FromSeconds(60));

        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains($"\"Version\": \"{m.Version}\"", r.StdOut);
        var zipHash = Modules.Zip.DirHash.HashZip(Path.Combine(h.Root, m.Path.Escaped, "@v", m.Version.Escaped + ".zip"));
        Assert.Contains($"\"Sum\": \"{zipHash}\"", r.StdOut);
        Assert.Contains($"\"GoModSum\": \"{Modules.Zip.DirHash.HashGoMod(m.Mod)}\"", r.StdOut);
        Assert.Equal(m.Version + "\n", Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(h.Root, m.Path.Escaped, "@v", "list"))));
    }
}
