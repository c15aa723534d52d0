using Moddock.Modules.Zip;
using Moddock.Testing;

namespace Moddock.Modules.Tests.Zip;

/// <summary>
/// ModuleZip over real source trees Debian ships, and over a built tree of awkward cases, against
/// zip.CreateFromDir + dirhash.HashZip and zip.CheckDir run by the Go oracle on the same tree.
/// </summary>
[Collection("ziporacle")]
public sealed class RealTreeTests(ZipOracleFixture fixture)
{
    private const string ModulePath = "example.com/realtree";
    private const string Version = "v1.0.0";

    // Trees larger than this are left out to keep the run short; the Go tree's cmd (47 MB) fits.
    private const long MaxTreeBytes = 60L << 20;

    /// <summary>
    /// Chosen at test time: every module root (a directory with go.mod) under Debian's Go trees, and
    /// every directory holding a vendor directory, when small enough. Among them: cmd (vendor/,
    /// nested modules in testdata, names with '!' and '+'), std's vendor tree, x/mod itself.
    /// </summary>
    public static TheoryData<string> RealTrees()
    {
        var roots = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var top in new[] { "/usr/share/gocode/src", "/usr/share/go-1.19/src" })
        {
            if (!Directory.Exists(top))
            {
                continue;
            }

            foreach (var goMod in Directory.EnumerateFiles(top, "go.mod", SearchOption.AllDirectories))
            {
                roots.Add(Path.GetDirectoryName(goMod)!);
            }

            foreach (var vendor in Directory.EnumerateDirectories(top, "vendor", SearchOption.AllDirectories))
            {
                roots.Add(Path.GetDirectoryName(vendor)!);
                roots.Add(vendor);
            }
        }

        var data = new TheoryData<string>();
        foreach (var root in roots.Where(r => TreeSize(r) <= MaxTreeBytes))
        {
            data.Add(root);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RealTrees))]
    public void CreateFromDirectory_RealTree_SameH1AsGo(string tree)
    {
        AssertSameAsGo(tree);
    }

    [Fact]
    public void CreateFromDirectory_BuiltTreeWithOddNamesVendorAndNestedModules_SameH1AsGo()
    {
        var dir = OddTree.Build(TestEnvironment.NewTempDir("zip-oddtree"), goVersion: "1.21");

        AssertSameAsGo(dir);
    }

    [Fact]
    public void CheckDirectory_BuiltTree_SameReportAsGo()
    {
        var dir = OddTree.Build(TestEnvironment.NewTempDir("zip-oddtree"), goVersion: "1.21");

        var report = ModuleZip.CheckDirectory(dir);

        var go = fixture.Oracle.CheckDir(dir);
        Assert.Equal(go.Valid ?? [], report.Valid);
        Assert.Equal((go.Omitted ?? []).Select(o => o[0] + ": " + o[1]), report.Omitted.Select(o => o.ToString()));
        Assert.Equal((go.Invalid ?? []).Select(o => o[0] + ": " + o[1]), report.Invalid.Select(o => o.ToString()));
        Assert.Contains(report.Omitted, o => o.Reason == "not a regular file");
    }

    [Fact]
    public void CreateFromDirectory_BuiltTreeWithInvalidName_SameErrorAsGo()
    {
        var dir = OddTree.Build(TestEnvironment.NewTempDir("zip-oddtree"), goVersion: "1.21");
        File.WriteAllText(Path.Combine(dir, "bad\"quote.go"), "package m\n");

        var go = fixture.Oracle.ZipDirectory(ModulePath, Version, dir);
        using var output = new MemoryStream();
        var error = ModuleZip.CreateFromDirectory(output, ModulePath, Version, dir);

        Assert.NotNull(go.Err);
        Assert.NotNull(error);
        Assert.Equal(go.Err, error.Message);
        Assert.Equal(ModuleErrorKind.ZipInvalid, error.Kind);
    }

    private void AssertSameAsGo(string tree)
    {
        var go = fixture.Oracle.ZipDirectory(ModulePath, Version, tree);
        var zipPath = Path.Combine(TestEnvironment.NewTempDir("zip-real"), "out.zip");
        ModuleError? error;
        string? h1;
        using (var output = File.Create(zipPath))
        {
            error = ModuleZip.CreateFromDirectory(output, ModulePath, Version, tree, out h1);
        }

        if (go.Err is not null)
        {
            Assert.Equal(go.Err, error?.Message);
            return;
        }

        Assert.Null(error);
        Assert.Equal(go.H1, h1);
        Assert.Equal(go.H1, DirHash.HashZip(zipPath));
        Assert.Equal(go.H1, fixture.Oracle.HashZip(zipPath).H1);
    }

    private static long TreeSize(string dir) =>
        new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
