using System.Text;
using Moddock.Modules;
using Moddock.Modules.Zip;

namespace Moddock.Proxy.Tests.Support;

/// <summary>A module version as an upstream would serve it: a real module zip (ModuleZip.Create), its go.mod and .info.</summary>
internal sealed class TestModule
{
    public TestModule(string path, string version, string? extraFile = null, string? goModTail = null)
    {
        Path = ModulePath.Parse(path);
        Version = ModuleVersion.Parse(version);
        Mod = Encoding.UTF8.GetBytes($"module {path}\n\ngo 1.19\n{goModTail}");
        Info = $"{{\"Version\":\"{version}\",\"Time\":\"2024-01-02T03:04:05Z\"}}";
        var files = new Dictionary<string, byte[]>
        {
            ["go.mod"] = Mod,
            ["lib.go"] = Encoding.UTF8.GetBytes($"package lib\n\n// Version is {version}.\nconst Version = \"{version}\"\n{extraFile}"),
        };
        using var zip = new MemoryStream();
        var error = ModuleZip.Create(zip, path, version, files.Select(f => new ZipSourceFile(f.Key, f.Value.Length, () => new MemoryStream(f.Value))));
        if (error is not null)
        {
            throw new InvalidOperationException(error.Message);
        }

        Zip = zip.ToArray();
    }

    public ModulePath Path { get; }

    public ModuleVersion Version { get; }

    public byte[] Mod { get; }

    public string Info { get; }

    public byte[] Zip { get; }

    /// <summary>A module whose go.mod requires these "path version" pairs.</summary>
    public static TestModule Requiring(string path, string version, params string[] requires) =>
        new(path, version, goModTail: "\nrequire (\n" + string.Concat(requires.Select(r => "\t" + r + "\n")) + ")\n");

    /// <summary>A big module, so that a zip takes many reads to stream.</summary>
    public static TestModule Large(string path, string version, int kib) =>
        new(path, version, "// " + new string('x', kib * 1024) + "\n");

    /// <summary>The files of a file-layout (file:// GOPROXY) tree for these modules, keyed by URL path.</summary>
    public static Dictionary<string, byte[]> Layout(params TestModule[] modules)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var group in modules.GroupBy(m => m.Path))
        {
            var dir = group.Key.Escaped + "/@v/";
            files[dir + "list"] = Encoding.UTF8.GetBytes(string.Concat(group.Select(m => m.Version + "\n")));
            foreach (var m in group)
            {
                files[dir + m.Version.Escaped + ".info"] = Encoding.UTF8.GetBytes(m.Info);
                files[dir + m.Version.Escaped + ".mod"] = m.Mod;
                files[dir + m.Version.Escaped + ".zip"] = m.Zip;
            }

            var latest = group.OrderBy(m => m.Version, Comparer<ModuleVersion>.Create(Semver.CompareValues)).Last();
            files[group.Key.Escaped + "/@latest"] = Encoding.UTF8.GetBytes(latest.Info);
        }

        return files;
    }
}
