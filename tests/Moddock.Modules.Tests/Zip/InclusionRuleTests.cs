using Moddock.Modules.Zip;
using Moddock.Testing;

namespace Moddock.Modules.Tests.Zip;

/// <summary>
/// Inclusion rules Go tests in code rather than testdata (TestCreateFromDirSpecial, isVendoredPackage),
/// the go 1.24 vendor rule that Debian's x/mod v0.7.0 predates, and refusals of unsafe names.
/// Where the oracle knows the answer it is asked.
/// </summary>
[Collection("ziporacle")]
public sealed class InclusionRuleTests(ZipOracleFixture fixture)
{
    [Fact]
    public void CreateFromDirectory_EmptyDirectoryAndSymlinkToRoot_SameH1AsGo()
    {
        var dir = TestEnvironment.NewTempDir("zip-special");
        Directory.CreateDirectory(Path.Combine(dir, "empty"));
        Directory.CreateSymbolicLink(Path.Combine(dir, "link"), dir);
        File.CreateSymbolicLink(Path.Combine(dir, "dangling.go"), Path.Combine(dir, "missing.go"));

        AssertSameH1AsGo(dir);
    }

    [Fact]
    public void CreateFromDirectory_DirectoryNamedVendorAsRoot_SameH1AsGo()
    {
        var dir = Path.Combine(TestEnvironment.NewTempDir("zip-special"), "vendor");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "go.mod"), "module example.com/m\n\ngo 1.13\n");

        AssertSameH1AsGo(dir);
    }

    [Fact]
    public void CreateFromDirectory_VcsDirectoriesAtAnyDepth_SameH1AsGo()
    {
        var dir = TestEnvironment.NewTempDir("zip-vcs");
        foreach (var rel in new[] { "a.go", ".git/config", "sub/.hg/store", "sub/b.go", "x/y/.svn/z", "x/.bzr/q", ".gitignore", "sub/.hgignore" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, rel))!);
            File.WriteAllText(Path.Combine(dir, rel), rel);
        }

        var report = ModuleZip.CheckDirectory(dir);

        Assert.Equal([".gitignore", "a.go", "sub/.hgignore", "sub/b.go"], report.Valid.Select(v => Path.GetRelativePath(dir, v)).Order(StringComparer.Ordinal));
        AssertSameH1AsGo(dir);
    }

    [Fact]
    public void CreateFromDirectory_KelvinSignCaseCollision_SameErrorAsGo()
    {
        var dir = TestEnvironment.NewTempDir("zip-fold");
        File.WriteAllText(Path.Combine(dir, "k.go"), "package m\n");
        File.WriteAllText(Path.Combine(dir, "\u212A.go"), "package m\n");

        var error = ModuleZip.CreateFromDirectory(Stream.Null, "example.com/m", "v1.0.0", dir);

        Assert.NotNull(error);
        Assert.Contains("case-insensitive file name collision", error.Message, StringComparison.Ordinal);
        Assert.Equal(fixture.Oracle.ZipDirectory("example.com/m", "v1.0.0", dir).Err, error.Message);
    }

    [Theory]
    [InlineData("../escape.go", "malformed file path \"../escape.go\"")]
    [InlineData("a/../../escape.go", "file path is not clean")]
    [InlineData("/etc/passwd", "file path is not relative")]
    [InlineData("./a.go", "file path is not clean")]
    [InlineData("a//b.go", "file path is not clean")]
    public void Create_UnsafePath_RefusedNamingFileAndNothingWritten(string path, string reason)
    {
        using var output = new MemoryStream();

        var error = ModuleZip.Create(output, "example.com/m", "v1.0.0", [ZipSourceFile.FromBytes("ok.go", "package m\n"u8.ToArray()), ZipSourceFile.FromBytes(path, [])]);

        Assert.NotNull(error);
        Assert.Equal(ModuleErrorKind.ZipInvalid, error.Kind);
        Assert.StartsWith($"create zip: {path}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void Create_SymlinkAndIrregularFiles_OmittedWithGoReasons()
    {
        var files = new[]
        {
            ZipSourceFile.FromBytes("a.go", "package a\n"u8.ToArray()),
            ZipSourceFile.FromBytes("link.go", []) with { IsSymlink = true },
            new ZipSourceFile("pipe", 0, () => throw new InvalidOperationException("irregular files are never opened"), IsRegular: false),
        };

        var report = ModuleZip.CheckFiles(files);

        Assert.Equal(["a.go"], report.Valid);
        Assert.Equal(["link.go: file is a symbolic link", "pipe: not a regular file"], report.Omitted.Select(o => o.ToString()));
        Assert.Null(ModuleZip.Create(Stream.Null, "example.com/m", "v1.0.0", files));
    }

    [Fact]
    public void CheckFiles_GoModInSubdirectoryAnyCase_FilesOfThatModuleOmitted()
    {
        var files = new[] { "go.mod", "a.go", "sub/GO.MOD", "sub/b.go", "sub/deeper/c.go", "other/Go.Mod", "other/d.go" }
            .Select(p => ZipSourceFile.FromBytes(p, "module x\n"u8.ToArray()));

        var report = ModuleZip.CheckFiles(files);

        Assert.Equal(["go.mod", "a.go"], report.Valid);
        Assert.All(report.Omitted, o => Assert.Equal("file is in another module", o.Reason));
        Assert.Equal(5, report.Omitted.Count);
    }

    [Theory]
    [InlineData("1.23", new[] { "go.mod", "vendor/modules.txt", "vendor/top.go" })]
    [InlineData("1.24", new[] { "go.mod", "vendor/top.go", "pkg/vendor/vendor.go", "sub/vendor/sub.txt" })]
    [InlineData("1.25.1", new[] { "go.mod", "vendor/top.go", "pkg/vendor/vendor.go", "sub/vendor/sub.txt" })]
    [InlineData("1.24rc1", new[] { "go.mod", "vendor/top.go", "pkg/vendor/vendor.go", "sub/vendor/sub.txt" })]
    [InlineData("not-a-version", new[] { "go.mod", "vendor/modules.txt", "vendor/top.go" })]
    public void CheckFiles_VendorRuleByGoVersion_MatchesXModRule(string goVersion, string[] expectedValid)
    {
        // x/mod's isVendoredPackage since v0.23 (golang.org/issue/37397): from go 1.24 vendor/modules.txt is
        // left out and only what is below a nested vendor/ directory's own subdirectories is vendored.
        // Debian's x/mod predates the rule, so the expectation is the rule's, like upstream's exclude_vendor_go124.txt.
        var names = new[] { "go.mod", "vendor/modules.txt", "vendor/top.go", "vendor/example.com/dep/dep.go", "pkg/vendor/vendor.go", "sub/vendor/sub.txt", "sub/vendor/deep/deep.go" };
        var files = names.Select(n => ZipSourceFile.FromBytes(n, n == "go.mod" ? System.Text.Encoding.UTF8.GetBytes($"module example.com/m\n\ngo {goVersion}\n") : [1]));

        var report = ModuleZip.CheckFiles(files);

        Assert.Equal(expectedValid, report.Valid);
        Assert.All(report.Omitted, o => Assert.Equal("file is in vendor directory", o.Reason));
    }

    [Fact]
    public void CreateFromDirectory_Go124Tree_VendorRuleAppliedFromRootGoMod()
    {
        var dir = OddTree.Build(TestEnvironment.NewTempDir("zip-go124"), goVersion: "1.24");

        var report = ModuleZip.CheckDirectory(dir);

        var valid = report.Valid.Select(v => Path.GetRelativePath(dir, v)).ToList();
        Assert.DoesNotContain("vendor/modules.txt", valid);
        Assert.Contains("pkg/vendor/vendor.go", valid);
        Assert.Contains("sub/vendor/sub.txt", valid);
        Assert.DoesNotContain("sub/vendor/deep/deep.go", valid);
    }

    [Fact]
    public void Unzip_EntryEscapingWithDotDot_RefusedAndNothingWrittenOutside()
    {
        var root = TestEnvironment.NewTempDir("zip-escape");
        var zipPath = Path.Combine(root, "evil.zip");
        using (var output = File.Create(zipPath))
        using (var archive = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create))
        {
            using (var ok = archive.CreateEntry("example.com/m@v1.0.0/ok.go").Open())
            {
                ok.Write("package m\n"u8);
            }

            using var evil = archive.CreateEntry("example.com/m@v1.0.0/../../evil.txt").Open();
            evil.Write("owned"u8);
        }

        var error = ModuleZip.Unzip(Path.Combine(root, "out"), "example.com/m", "v1.0.0", zipPath);

        Assert.NotNull(error);
        Assert.Contains("example.com/m@v1.0.0/../../evil.txt: malformed file path", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "out")));
        Assert.Empty(Directory.GetFiles(root, "evil.txt", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(root)!, "evil.txt")));
    }

    [Fact]
    public void CreateFromDirectory_MissingDirectory_ErrorValueNamingIt()
    {
        var dir = Path.Combine(TestEnvironment.NewTempDir("zip-missing"), "nope");

        var error = ModuleZip.CreateFromDirectory(Stream.Null, "example.com/m", "v1.0.0", dir);

        Assert.NotNull(error);
        Assert.Equal(ModuleErrorKind.Other, error.Kind);
        Assert.Contains(dir, error.Message, StringComparison.Ordinal);
        Assert.NotNull(fixture.Oracle.ZipDirectory("example.com/m", "v1.0.0", dir).Err);
    }

    private void AssertSameH1AsGo(string dir)
    {
        var go = fixture.Oracle.ZipDirectory("example.com/m", "v1.0.0", dir);
        var error = ModuleZip.CreateFromDirectory(Stream.Null, "example.com/m", "v1.0.0", dir, out var h1);

        Assert.Null(go.Err);
        Assert.Null(error);
        Assert.Equal(go.H1, h1);
    }
}
