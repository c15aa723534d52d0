using System.IO.Compression;
using System.Text;
using Moddock.Modules.Tests.Zip;
using Moddock.Modules.Zip;
using Moddock.Testing;

namespace Moddock.Modules.Tests.Hashing;

/// <summary>dirhash h1 of go.mod files and zips, against sumdb/dirhash run by the Go oracle.</summary>
[Collection("ziporacle")]
public sealed class DirHashTests(ZipOracleFixture fixture)
{
    /// <summary>Every go.mod Debian ships with Go and x/mod, found at test time.</summary>
    public static TheoryData<string> GoModFiles()
    {
        var data = new TheoryData<string>();
        foreach (var top in DebianGoTrees.SourceRoots())
        {
            foreach (var f in Directory.EnumerateFiles(top, "go.mod", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(f);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GoModFiles))]
    public void HashGoMod_DebianGoModFile_SameAsGo(string goMod)
    {
        var expected = fixture.Oracle.HashGoMod(goMod).H1;

        Assert.Equal(expected, DirHash.HashGoMod(File.ReadAllBytes(goMod)));
        using var stream = File.OpenRead(goMod);
        Assert.Equal(expected, DirHash.HashGoMod(stream));
    }

    [Fact]
    public void HashGoMod_EmptyAndBinaryContent_SameAsGo()
    {
        var dir = TestEnvironment.NewTempDir("dirhash");
        var empty = Path.Combine(dir, "empty.mod");
        File.WriteAllBytes(empty, []);
        var binary = Path.Combine(dir, "binary.mod");
        File.WriteAllBytes(binary, Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());

        Assert.Equal(fixture.Oracle.HashGoMod(empty).H1, DirHash.HashGoMod([]));
        Assert.Equal(fixture.Oracle.HashGoMod(binary).H1, DirHash.HashGoMod(File.ReadAllBytes(binary)));
    }

    [Fact]
    public void HashZip_DirectoryEntriesDuplicatesAndNonBmpNames_SameAsGo()
    {
        // Every entry is hashed, directories too; names sort by UTF-8 bytes (U+FFFD before U+1F600,
        // the reverse of UTF-16 order); a duplicated name hashes the last entry of that name twice.
        var zipPath = Path.Combine(TestEnvironment.NewTempDir("dirhash"), "odd.zip");
        using (var output = File.Create(zipPath))
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create))
        {
            foreach (var (name, content) in new[]
            {
                ("example.com/m@v1.0.0/", ""),
                ("example.com/m@v1.0.0/\U0001F600.txt", "emoji"),
                ("example.com/m@v1.0.0/\uFFFD.txt", "replacement"),
                ("example.com/m@v1.0.0/\uE000.txt", "private use"),
                ("example.com/m@v1.0.0/dup.go", "first"),
                ("example.com/m@v1.0.0/dup.go", "second"),
                ("example.com/m@v1.0.0/sub/", ""),
            })
            {
                using var entry = archive.CreateEntry(name).Open();
                entry.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        Assert.Equal(fixture.Oracle.HashZip(zipPath).H1, DirHash.HashZip(zipPath));
    }

    [Fact]
    public void HashZip_EmptyZip_SameAsGo()
    {
        var zipPath = Path.Combine(TestEnvironment.NewTempDir("dirhash"), "empty.zip");
        using (var output = File.Create(zipPath))
        {
            Assert.Null(ModuleZip.CreateFromDirectory(output, "example.com/m", "v1.0.0", TestEnvironment.NewTempDir("dirhash-empty")));
        }

        Assert.Equal(fixture.Oracle.HashZip(zipPath).H1, DirHash.HashZip(zipPath));
    }

    [Fact]
    public void HashZip_NotAZip_ThrowsModuleExceptionNamingFile()
    {
        var path = Path.Combine(TestEnvironment.NewTempDir("dirhash"), "junk.zip");
        File.WriteAllText(path, "junk");

        var e = Assert.Throws<ModuleException>(() => DirHash.HashZip(path));

        Assert.Equal(ModuleErrorKind.ZipInvalid, e.Error.Kind);
        Assert.Contains("junk.zip", e.Error.Message, StringComparison.Ordinal);
        Assert.NotNull(fixture.Oracle.HashZip(path).Err);
    }

    [Fact]
    public void Hash1_NameWithNewline_RefusedLikeGo()
    {
        var e = Assert.Throws<ModuleException>(() => DirHash.Hash1([("a\nb", () => new MemoryStream())]));

        Assert.Contains("dirhash: filenames with newlines are not supported", e.Message, StringComparison.Ordinal);
    }
}
