using System.Text;
using Moddock.Modules.Zip;

namespace Moddock.Modules.Tests.Zip;

/// <summary>One txtar file of x/mod/zip/testdata with its header (path=, version=, hash=, wantErr=), read like zip_test.go's readTest.</summary>
internal sealed class GoZipTestCase
{
    public const string TestDataRoot = "/usr/share/gocode/src/golang.org/x/mod/zip/testdata";

    private GoZipTestCase(Txtar archive)
    {
        Archive = archive;
    }

    public Txtar Archive { get; }

    public string Path { get; private set; } = "";

    public string Version { get; private set; } = "";

    public string WantErr { get; private set; } = "";

    public string Hash { get; private set; } = "";

    /// <summary>The "want" file of check_* cases, if any.</summary>
    public string? Want => Archive.Files.Where(f => f.Name == "want").Select(f => Encoding.UTF8.GetString(f.Data)).FirstOrDefault();

    /// <summary>Every file except "want".</summary>
    public IReadOnlyList<(string Name, byte[] Data)> Files => Archive.Files.Where(f => f.Name != "want").ToList();

    /// <summary>The case files of one folder, by name relative to the test data root; read at test time.</summary>
    public static TheoryData<string> In(string folder)
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(System.IO.Path.Combine(TestDataRoot, folder), "*.txt").Order(StringComparer.Ordinal))
        {
            data.Add(folder + "/" + System.IO.Path.GetFileName(f));
        }

        return data;
    }

    public static GoZipTestCase Load(string relativePath)
    {
        var test = new GoZipTestCase(Txtar.Parse(File.ReadAllBytes(System.IO.Path.Combine(TestDataRoot, relativePath))));
        foreach (var raw in Txtar.DecodeLossless(test.Archive.Comment).Split('\n'))
        {
            var line = raw;
            if (line.IndexOf('#', StringComparison.Ordinal) is var hash and >= 0)
            {
                line = line[..hash];
            }

            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var (key, value) = (line[..eq].Trim(), line[(eq + 1)..].Trim());
            switch (key)
            {
                case "path": test.Path = value; break;
                case "version": test.Version = value; break;
                case "wantErr": test.WantErr = value; break;
                case "hash": test.Hash = value; break;
                default: throw new InvalidDataException($"{relativePath}: unknown key {key}");
            }
        }

        return test;
    }

    public IReadOnlyList<ZipSourceFile> SourceFiles() =>
        Files.Select(f => ZipSourceFile.FromBytes(f.Name, f.Data)).ToList();

    /// <summary>Writes the files under <paramref name="dir"/>, like extractTxtarToTempDir.</summary>
    public void ExtractTo(string dir)
    {
        foreach (var (name, data) in Files)
        {
            var target = System.IO.Path.Combine(dir, name);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, data);
        }
    }

    /// <summary>
    /// Asserts an error carries Go's wantErr text. Messages keep Go's wording, so this is Go's own
    /// substring test; a byte that is not UTF-8 travels as the lone surrogate U+DC00+byte and is
    /// quoted back as \xNN. The kind must also fit the failure.
    /// </summary>
    public void AssertError(ModuleError? error)
    {
        Assert.NotNull(error);
        Assert.Contains(WantErr, error.Message, StringComparison.Ordinal);
        var expectedKinds = WantErr switch
        {
            _ when WantErr.Contains("module path", StringComparison.Ordinal) || WantErr.Contains("path element", StringComparison.Ordinal) => [ModuleErrorKind.InvalidPath],
            _ when WantErr.Contains("version", StringComparison.Ordinal) => new[] { ModuleErrorKind.InvalidVersion, ModuleErrorKind.InvalidPath },
            _ => [ModuleErrorKind.ZipInvalid, ModuleErrorKind.InvalidFilePath],
        };
        Assert.Contains(error.Kind, expectedKinds);
    }

    /// <summary>formatCheckedFiles of zip_test.go.</summary>
    public static string Format(ZipCheckReport report)
    {
        var sb = new StringBuilder();
        sb.Append("valid:\n");
        foreach (var v in report.Valid)
        {
            sb.Append(v).Append('\n');
        }

        sb.Append("\nomitted:\n");
        foreach (var o in report.Omitted)
        {
            sb.Append(o.Path).Append(": ").Append(o.Reason).Append('\n');
        }

        sb.Append("\ninvalid:\n");
        foreach (var i in report.Invalid)
        {
            sb.Append(i.Path).Append(": ").Append(i.Reason).Append('\n');
        }

        return sb.ToString();
    }
}
