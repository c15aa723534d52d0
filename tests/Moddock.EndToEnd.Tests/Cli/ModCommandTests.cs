using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Cli;

/// <summary>The built `moddock mod zip` / `moddock mod hash` against x/mod's zip.CreateFromDir and dirhash (the ziporacle).</summary>
public sealed class ModCommandTests(ModCommandTests.OracleFixture fixture) : IClassFixture<ModCommandTests.OracleFixture>
{
    private const string GoModuleTree = "/usr/share/gocode/src/golang.org/x/mod";

    private readonly ZipOracleProcess _oracle = fixture.Oracle;
    private readonly string _temp = TestEnvironment.NewTempDir("cli-mod");

    [Fact]
    public void ModZip_RealModuleTree_LastLineIsGoH1AndZipHashesTheSame()
    {
        var zip = Path.Combine(_temp, "m.zip");

        var run = Moddock("mod", "zip", GoModuleTree, "--module", "golang.org/x/mod", "--version", "v0.7.0", "-o", zip);

        Assert.Equal(0, run.ExitCode);
        var goH1 = _oracle.ZipDirectory("golang.org/x/mod", "v0.7.0", GoModuleTree).H1;
        Assert.NotNull(goH1);
        Assert.Equal(goH1, LastLine(run.StdOut));
        Assert.Equal(goH1, _oracle.HashZip(zip).H1);
        Assert.Empty(run.StdErr);
    }

    [Fact]
    public void ModHash_ZipWrittenByModZip_PrintsGoH1()
    {
        var zip = Path.Combine(_temp, "m.zip");
        Assert.Equal(0, Moddock("mod", "zip", GoModuleTree, "--module", "example.com/m", "--version", "v1.2.3", "-o", zip).ExitCode);

        var run = Moddock("mod", "hash", zip);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(_oracle.HashZip(zip).H1, LastLine(run.StdOut));
    }

    [Fact]
    public void ModHash_GoModFile_PrintsGoModH1()
    {
        var goMod = Path.Combine(GoModuleTree, "go.mod");

        var run = Moddock("mod", "hash", goMod);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(_oracle.HashGoMod(goMod).H1, LastLine(run.StdOut));
    }

    [Fact]
    public void ModZip_InvalidFileName_ExitOneWithGoErrorOnOneLine()
    {
        var dir = Path.Combine(_temp, "src");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "go.mod"), "module example.com/m\n");
        File.WriteAllText(Path.Combine(dir, "bad'name.go"), "package m\n");
        var zip = Path.Combine(_temp, "bad.zip");

        var run = Moddock("mod", "zip", dir, "--module", "example.com/m", "--version", "v1.0.0", "-o", zip);

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(Lines(run.StdErr));
        Assert.Contains(_oracle.ZipDirectory("example.com/m", "v1.0.0", dir).Err!, line, StringComparison.Ordinal);
        Assert.False(File.Exists(zip));
        Assert.Empty(Directory.GetFiles(_temp, "*.tmp"));
    }

    [Theory]
    [InlineData("cache", "v1.0.0", "missing dot in first path element")]
    [InlineData("example.com/m", "v1.0", "version \"v1.0\" is not canonical (should be \"v1.0.0\")")]
    [InlineData("example.com/m", "v2.0.0", "invalid version: should be v0 or v1, not v2")]
    public void ModZip_InvalidModuleOrVersion_ExitOneNamingThePart(string module, string version, string expected)
    {
        var run = Moddock("mod", "zip", GoModuleTree, "--module", module, "--version", version, "-o", Path.Combine(_temp, "x.zip"));

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(Lines(run.StdErr));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Contains(_oracle.ZipDirectory(module, version, GoModuleTree).Err!.Split(": ")[^1], line, StringComparison.Ordinal);
    }

    [Fact]
    public void ModZip_OutputInsideTheTree_ZipsOnlyTheTree()
    {
        var dir = Path.Combine(_temp, "tree");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "go.mod"), "module example.com/m\n");
        File.WriteAllText(Path.Combine(dir, "m.go"), "package m\n");
        var expected = _oracle.ZipDirectory("example.com/m", "v1.0.0", dir).H1;

        var run = Moddock("mod", "zip", dir, "--module", "example.com/m", "--version", "v1.0.0", "-o", Path.Combine(dir, "m.zip"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected, LastLine(run.StdOut));
        Assert.Equal(["go.mod", "m.go", "m.zip"], Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ModHash_NotAZip_ExitOneOnOneLine()
    {
        var file = Path.Combine(_temp, "broken.zip");
        File.WriteAllText(file, "not a zip");

        var run = Moddock("mod", "hash", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("broken.zip", Assert.Single(Lines(run.StdErr)), StringComparison.Ordinal);
        Assert.NotNull(_oracle.HashZip(file).Err);
    }

    [Fact]
    public void ModHash_MissingFile_ExitOneNamingIt()
    {
        var run = Moddock("mod", "hash", Path.Combine(_temp, "nope.mod"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("nope.mod: no such file", Assert.Single(Lines(run.StdErr)), StringComparison.Ordinal);
    }

    private static ProcessResult Moddock(params string[] args) =>
        ProcessRunner.Run(TestEnvironment.Cli, args, timeout: TimeSpan.FromSeconds(60));

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string LastLine(string text) => Lines(text)[^1];

    /// <summary>One ziporacle process for the class, stopped at the end.</summary>
    public sealed class OracleFixture : IDisposable
    {
        internal ZipOracleProcess Oracle { get; } = new();

        public void Dispose() => Oracle.Dispose();
    }
}
