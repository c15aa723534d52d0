using System.Text;
using Moddock.Modules;
using Moddock.Modules.Zip;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Serve.Support;

/// <summary>
/// Writes a GOPROXY file tree (M/@v/list, V.info, V.mod, V.zip) with zips made by Modules'
/// ModuleZip; served by <see cref="UpstreamServer"/> or as GOPROXY=file://.
/// </summary>
internal static class FileLayoutProxy
{
    public static string Write(IEnumerable<TestModule> modules, string? root = null)
    {
        root ??= TestEnvironment.NewTempDir("upstream");
        foreach (var group in modules.GroupBy(m => m.Path))
        {
            var dir = Path.Combine(root, ModulePath.Parse(group.Key).Escaped, "@v");
            Directory.CreateDirectory(dir);
            foreach (var m in group)
            {
                var v = ModuleVersion.Parse(m.Version).Escaped;
                File.WriteAllText(Path.Combine(dir, v + ".info"), $"{{\"Version\":\"{m.Version}\",\"Time\":\"{m.Time}\"}}");
                File.WriteAllText(Path.Combine(dir, v + ".mod"), m.GoMod);
                var files = m.Files.Append(new("go.mod", m.GoMod))
                    .Select(f => new ZipSourceFile(f.Key, Encoding.UTF8.GetByteCount(f.Value), () => new MemoryStream(Encoding.UTF8.GetBytes(f.Value))))
                    .ToList();
                using var zip = File.Create(Path.Combine(dir, v + ".zip"));
                var error = ModuleZip.Create(zip, m.Path, m.Version, files);
                if (error is not null)
                {
                    throw new InvalidOperationException(error.Message);
                }
            }

            File.WriteAllLines(Path.Combine(dir, "list"), group.Select(m => m.Version));
        }

        return root;
    }

    /// <summary>A module version whose zip is about <paramref name="bytes"/> long (incompressible data).</summary>
    public static TestModule Big(string path, string version, int bytes)
    {
        var data = new byte[bytes * 3 / 4];
        new Random(42).NextBytes(data);
        return new TestModule(path, version, $"module {path}\n", new Dictionary<string, string> { ["blob.txt"] = Convert.ToBase64String(data) });
    }
}
