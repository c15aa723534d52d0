using System.IO.Compression;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Sumdb.Support;

/// <summary>What the end-to-end checksum tests build their world from: file-layout modules and Go's answers.</summary>
internal static class SumdbTestModules
{
    /// <summary>Writes M@v1.0.0 (list, .info, .mod, .zip with go.mod and m.go) under a file-layout GOPROXY root.</summary>
    public static (string Zip, string Mod) WriteModule(string root, string module, string source)
    {
        var dir = Path.Combine(root, module, "@v");
        Directory.CreateDirectory(dir);
        var goMod = $"module {module}\n\ngo 1.19\n";
        File.WriteAllText(Path.Combine(dir, "list"), "v1.0.0\n");
        File.WriteAllText(Path.Combine(dir, "v1.0.0.info"), "{\"Version\":\"v1.0.0\",\"Time\":\"2024-01-01T00:00:00Z\"}");
        File.WriteAllText(Path.Combine(dir, "v1.0.0.mod"), goMod);
        var zip = Path.Combine(dir, "v1.0.0.zip");
        using (var fs = File.Create(zip))
        using (var z = new ZipArchive(fs, ZipArchiveMode.Create))
        {
            foreach (var (name, text) in new[] { ("go.mod", goMod), ("m.go", source) })
            {
                using var w = new StreamWriter(z.CreateEntry($"{module}@v1.0.0/{name}").Open());
                w.Write(text);
            }
        }

        return (zip, Path.Combine(dir, "v1.0.0.mod"));
    }

    /// <summary>Asks the sumoracle (Go's x/mod) several questions in one process; returns the answers in order.</summary>
    public static string[] Ask(params string[][] questions)
    {
        var r = ProcessRunner.Run(TestEnvironment.Oracle("sumoracle"), ["batch"], stdin: string.Concat(questions.Select(q => string.Join('\t', q) + "\n")), timeout: TimeSpan.FromSeconds(60));
        var lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(r.ExitCode == 0 && lines.Length == questions.Length && lines.All(l => l.StartsWith("ok\t", StringComparison.Ordinal)), r.StdOut + r.StdErr);
        return lines.Select(l => l[3..].Trim()).ToArray();
    }
}
