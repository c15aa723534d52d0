using Moddock.Modules;
using Moddock.Modules.Zip;
using Moddock.Proxy.Sources;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Git;

/// <summary>
/// For every repository shape and query, DirectSource must resolve the same version, and produce a
/// zip and go.mod with the same h1 hashes, as `GOPROXY=direct go mod download -json` on the same repository.
/// </summary>
public sealed class DirectSourceVsGoTests(DirectVsGoFixture fx) : IClassFixture<DirectVsGoFixture>
{
    public static TheoryData<string, string> Queries()
    {
        var data = new TheoryData<string, string>();
        foreach (var (m, q) in DirectScenarios.Queries)
        {
            data.Add(m, q);
        }

        return data;
    }

    public static TheoryData<string> Modules() => new(DirectScenarios.Modules);

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Query_SameRepositoryAsGoDirect_SameVersionAndHashes(string module, string symbolicQuery)
    {
        var query = fx.Scenarios.Resolve(symbolicQuery);
        await AssertSameAsGoAsync(module, query);
    }

    [Fact]
    public async Task PseudoVersionQuery_GoComputedVersions_ValidatedAndHashedLikeGo()
    {
        Assert.NotEmpty(fx.PseudoQueries);
        foreach (var (m, v) in fx.PseudoQueries)
        {
            await AssertSameAsGoAsync(m, v);
        }
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public async Task List_SameRepositoryAsGoDirect_SameVersions(string module)
    {
        var go = fx.GoLists[module];
        var ours = await fx.Source.ListAsync(ModulePath.Parse(module), CancellationToken.None);
        if (go is null)
        {
            Assert.False(ours.IsSuccess, $"go failed to list {module} but Moddock listed {ours}");
            return;
        }

        Assert.True(ours.IsSuccess, ours.ToString());
        Assert.Equal(go, ours.Value);
    }

    private async Task AssertSameAsGoAsync(string module, string query)
    {
        var go = fx.GoResults[module + "@" + query];
        var path = ModulePath.Parse(module);
        var info = query == "latest"
            ? await fx.Source.LatestAsync(path, CancellationToken.None)
            : await fx.Source.InfoAsync(path, query, CancellationToken.None);
        if (go.Error is not null)
        {
            Assert.False(info.IsSuccess, $"go failed ({go.Error}) but Moddock resolved {module}@{query} to {info}");
            Assert.Equal(SourceFailureKind.NotFound, info.Failure!.Kind);
            return;
        }

        Assert.True(info.IsSuccess, $"go resolved {module}@{query} to {go.Version}; Moddock: {info}");
        Assert.Equal(go.Version, info.Value!.Version);

        var version = ModuleVersion.Parse(info.Value.Version);
        var mod = await fx.Source.ModAsync(path, version, CancellationToken.None);
        Assert.True(mod.IsSuccess, mod.ToString());
        Assert.Equal(go.GoModSum, DirHash.HashGoMod(mod.Value));

        var zipFile = Path.Combine(TestEnvironment.NewTempDir("direct-zip"), "m.zip");
        SourceResult<long> written;
        await using (var zip = File.Create(zipFile))
        {
            written = await fx.Source.ZipAsync(path, version, zip, CancellationToken.None);
        }

        Assert.True(written.IsSuccess, written.ToString());
        Assert.Equal(new FileInfo(zipFile).Length, written.Value);

        Assert.Equal(go.Sum, DirHash.HashZip(zipFile));
    }
}
