using Moddock.Modules.Zip;
using Moddock.Testing;

namespace Moddock.Modules.Tests.Zip;

/// <summary>Every case of x/mod/zip/testdata, read from Debian's copy at test time, run like zip_test.go runs it.</summary>
public sealed class GoTestDataTests
{
    public static TheoryData<string> CreateCases => GoZipTestCase.In("create");

    public static TheoryData<string> CreateFromDirCases => GoZipTestCase.In("create_from_dir");

    public static TheoryData<string> CheckFilesCases => GoZipTestCase.In("check_files");

    public static TheoryData<string> CheckDirCases => GoZipTestCase.In("check_dir");

    public static TheoryData<string> CheckZipCases => GoZipTestCase.In("check_zip");

    public static TheoryData<string> UnzipCases => GoZipTestCase.In("unzip");

    [Theory]
    [MemberData(nameof(CreateCases))]
    public void Create_GoTestData_MatchesHashOrError(string file)
    {
        var test = GoZipTestCase.Load(file);
        var zipPath = Path.Combine(TestEnvironment.NewTempDir("zip-create"), "out.zip");
        ModuleError? error;
        string? h1;
        using (var output = File.Create(zipPath))
        {
            // In-memory files: the case-collision cases cannot exist on a case-insensitive disk.
            error = ModuleZip.Create(output, test.Path, test.Version, test.SourceFiles(), out h1);
        }

        AssertOutcome(test, error, h1, zipPath);
    }

    [Theory]
    [MemberData(nameof(CreateFromDirCases))]
    public void CreateFromDirectory_GoTestData_MatchesHashOrError(string file)
    {
        var test = GoZipTestCase.Load(file);
        var root = TestEnvironment.NewTempDir("zip-fromdir");
        var dir = Path.Combine(root, "src");
        Directory.CreateDirectory(dir);
        test.ExtractTo(dir);
        var zipPath = Path.Combine(root, "out.zip");
        ModuleError? error;
        string? h1;
        using (var output = File.Create(zipPath))
        {
            error = ModuleZip.CreateFromDirectory(output, test.Path, test.Version, dir, out h1);
        }

        AssertOutcome(test, error, h1, zipPath);
    }

    [Theory]
    [MemberData(nameof(CheckFilesCases))]
    public void CheckFiles_GoTestData_ReportMatchesWant(string file)
    {
        var test = GoZipTestCase.Load(file);

        var report = ModuleZip.CheckFiles(test.SourceFiles());

        Assert.Equal(test.Want, GoZipTestCase.Format(report));
        Assert.Equal(report.Invalid.Count > 0, report.Error is not null);
    }

    [Theory]
    [MemberData(nameof(CheckDirCases))]
    public void CheckDirectory_GoTestData_ReportMatchesWant(string file)
    {
        var test = GoZipTestCase.Load(file);
        var dir = TestEnvironment.NewTempDir("zip-checkdir");
        test.ExtractTo(dir);

        var report = ModuleZip.CheckDirectory(dir);

        var got = GoZipTestCase.Format(report).Replace(Path.GetFullPath(dir), "$work", StringComparison.Ordinal);
        Assert.Equal(test.Want, got);
    }

    [Theory]
    [MemberData(nameof(CheckZipCases))]
    public void CheckZip_GoTestData_ReportMatchesWant(string file)
    {
        var test = GoZipTestCase.Load(file);
        var zipPath = WriteRawZip(test);

        var error = ModuleZip.CheckZip(zipPath, test.Path, test.Version, out var report);

        Assert.Equal(test.Want, GoZipTestCase.Format(report));
        Assert.Equal(report.Invalid.Count > 0, error is not null);
    }

    [Theory]
    [MemberData(nameof(UnzipCases))]
    public void Unzip_GoTestData_MatchesHashOrError(string file)
    {
        var test = GoZipTestCase.Load(file);
        var zipPath = WriteRawZip(test);
        var target = Path.Combine(TestEnvironment.NewTempDir("zip-unzip"), "out");

        var error = ModuleZip.Unzip(target, test.Path, test.Version, zipPath);

        if (test.WantErr.Length > 0)
        {
            test.AssertError(error);
            return;
        }

        Assert.Null(error);

        // zip_test.go hashes the extracted tree with dirhash.HashDir(dir, "M@V", Hash1).
        var prefix = test.Path + "@" + test.Version + "/";
        var files = Directory.GetFiles(target, "*", SearchOption.AllDirectories)
            .Select(f => (prefix + Path.GetRelativePath(target, f).Replace('\\', '/'), (Func<Stream>)(() => File.OpenRead(f))));
        Assert.Equal(test.Hash, DirHash.Hash1(files));
    }

    private static void AssertOutcome(GoZipTestCase test, ModuleError? error, string? h1, string zipPath)
    {
        if (test.WantErr.Length > 0)
        {
            test.AssertError(error);
            return;
        }

        Assert.Null(error);
        Assert.Equal(test.Hash, h1);
        Assert.Equal(test.Hash, DirHash.HashZip(zipPath));
        Assert.Null(ModuleZip.CheckZip(zipPath, test.Path, test.Version));
    }

    /// <summary>extractTxtarToTempZip: the txtar names become entry names as they are, with Deflate.</summary>
    private static string WriteRawZip(GoZipTestCase test)
    {
        var zipPath = Path.Combine(TestEnvironment.NewTempDir("zip-raw"), "txtar.zip");
        using var output = File.Create(zipPath);
        using var archive = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create);
        foreach (var (name, data) in test.Files)
        {
            using var entry = archive.CreateEntry(name).Open();
            entry.Write(data);
        }

        return zipPath;
    }
}
