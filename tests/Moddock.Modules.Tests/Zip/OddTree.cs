using Moddock.Testing;

namespace Moddock.Modules.Tests.Zip;

/// <summary>A module source tree holding the awkward cases of the zip rules, built on disk for a test.</summary>
internal static class OddTree
{
    public static string Build(string root, string goVersion)
    {
        var dir = Path.Combine(root, "module");
        void Write(string rel, string content)
        {
            var p = Path.Combine(dir, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(p)!);
            File.WriteAllText(p, content);
        }

        Write("go.mod", $"module example.com/realtree\n\ngo {goVersion}\n");
        Write("LICENSE", "license text\n");
        Write("m.go", "package m\n");
        Write("empty.go", "");
        Write("with space.go", "package m // space\n");
        Write("ümlaut/ß.go", "package ümlaut\n");
        Write("x+y~z/!bang.txt", "odd punctuation\n");
        Write("日本語/ファイル.txt", "unicode\n");
        Write("vendor/modules.txt", "# vendored\n");
        Write("vendor/top.go", "package vendor\n");
        Write("vendor/example.com/dep/dep.go", "package dep\n");
        Write("sub/vendor/sub.txt", "nested vendor, top level of it\n");
        Write("sub/vendor/deep/deep.go", "package deep\n");
        Write("pkg/vendor/vendor.go", "package vendor\n");
        Write("nested/go.mod", "module example.com/realtree/nested\n");
        Write("nested/n.go", "package nested\n");
        Write("capsub/GO.MOD", "module example.com/realtree/capsub\n");
        Write("capsub/c.go", "package capsub\n");
        Write(".git/HEAD", "ref: refs/heads/main\n");
        Write("a/.hg/store", "hg\n");
        Write(".svn/entries", "svn\n");
        Write(".bzr/branch", "bzr\n");
        Write(".hg_archival.txt", "repo: 0\n");
        Write("deep/a/b/c/d/e.go", "package e\n");
        Directory.CreateDirectory(Path.Combine(dir, "emptydir"));
        File.CreateSymbolicLink(Path.Combine(dir, "link.go"), Path.Combine(dir, "m.go"));
        Directory.CreateSymbolicLink(Path.Combine(dir, "linkdir"), Path.Combine(dir, "deep"));
        var fifo = ProcessRunner.Run("mkfifo", [Path.Combine(dir, "pipe")], timeout: TimeSpan.FromSeconds(10));
        if (fifo.ExitCode != 0)
        {
            throw new InvalidOperationException("mkfifo failed: " + fifo.StdErr);
        }

        return dir;
    }
}
