using Moddock.Modules;
using Moddock.Proxy.Sources.Git;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Git.Mirrors;

/// <summary>How many git processes a fetch costs: object reads share one cat-file --batch, nothing is fetched twice.</summary>
public sealed class GitMirrorProcessTests
{
    [Fact]
    public async Task InfoModZip_TagOfCompleteMirror_OnlyGitArchiveStarts()
    {
        var repo = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("process-count"), 140);
        repo.Write("go.mod", "module example.test/process-count.git\n\ngo 1.19\n").Write("LICENSE", "x\n").Write("a.go", "package a\n");
        repo.Commit("one");
        repo.Tag("v1.0.0");
        repo.Write("b.go", "package a // b\n");
        repo.Commit("two");
        repo.AnnotatedTag("v1.1.0");
        repo.Write("c.go", "package a // c\n");
        repo.Commit("three");
        using var source = new DirectSource(new DirectSourceOptions
        {
            StorageDirectory = TestEnvironment.NewTempDir("direct-count"),
            RefreshInterval = TimeSpan.FromMinutes(10),
            NetrcPath = "/dev/null",
        });
        var path = ModulePath.Parse("example.test/process-count.git");

        // A branch query needs the history (a pseudo-version base): the mirror becomes complete.
        var head = await source.InfoAsync(path, "main", CancellationToken.None);
        var before = source.GitProcessesStarted;
        var info = await source.InfoAsync(path, "v1.1.0", CancellationToken.None);
        var mod = await source.ModAsync(path, ModuleVersion.Parse("v1.1.0"), CancellationToken.None);
        using var zip = new MemoryStream();
        var written = await source.ZipAsync(path, ModuleVersion.Parse("v1.1.0"), zip, CancellationToken.None);
        var afterOneVersion = source.GitProcessesStarted;
        var again = await source.InfoAsync(path, "v1.0.0", CancellationToken.None);
        var againMod = await source.ModAsync(path, ModuleVersion.Parse("v1.0.0"), CancellationToken.None);

        Assert.True(head.IsSuccess, head.Failure?.Reason);
        Assert.StartsWith("v1.1.1-0.", head.Value!.Version, StringComparison.Ordinal);
        Assert.Equal("v1.1.0", info.Value?.Version);
        Assert.True(mod.IsSuccess && written.IsSuccess);
        Assert.Equal("v1.0.0", again.Value?.Version);
        Assert.True(againMod.IsSuccess);
        // The commit, go.mod and the retraction check's go.mod come from the running cat-file --batch.
        Assert.Equal(1, afterOneVersion - before);
        Assert.Equal(afterOneVersion, source.GitProcessesStarted);
    }
}
