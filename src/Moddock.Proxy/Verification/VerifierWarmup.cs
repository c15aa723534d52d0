using Moddock.Modules;
using Moddock.Modules.Zip;
using Moddock.Proxy.Storage;

namespace Moddock.Proxy.Verification;

/// <summary>
/// Runs every check a miss needs once, in the background at start-up, on a made-up module: the go.mod
/// parser (its go-version and pseudo-version regexes are built on first use), the zip checks and the zip
/// hash. Measured on the cold path: the first go.mod with a go directive and a require block cost about
/// 150–220 ms to parse (0.4 ms afterwards), the first zip check about 25 ms and the first zip hash about 60 ms;
/// without this the first clients of a freshly started proxy paid it.
/// </summary>
internal static class VerifierWarmup
{
    private const string Module = "warmup.moddock.invalid/m";
    private const string Version = "v0.0.0-20200101000000-abcdefabcdef";

    public static Task Start(string scratchDirectory) => Task.Run(() =>
    {
        var zipFile = Path.Combine(scratchDirectory, DiskLayout.TempPrefix + "warmup-" + Guid.NewGuid().ToString("N"));
        try
        {
            var mod = "module " + Module + "\n\ngo 1.18\n\nrequire (\n\texample.com/a v1.2.3\n\texample.com/b " + Version + "\n)\n\nretract v0.0.1\n";
            var bytes = System.Text.Encoding.UTF8.GetBytes(mod);
            _ = GoModFile.TryParse(bytes, out _, out _);
            _ = DirHash.HashGoMod(bytes);
            using (var output = new FileStream(zipFile, FileMode.CreateNew, FileAccess.Write))
            {
                _ = ModuleZip.Create(output, Module, Version, [ZipSourceFile.FromBytes("go.mod", bytes), ZipSourceFile.FromBytes("m.go", "package m\n"u8.ToArray())]);
            }

            _ = ModuleZip.CheckZip(zipFile, Module, Version);
            _ = DirHash.HashZip(zipFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ModuleException)
        {
            // Only a warm-up: the first real miss does the same work.
        }
        finally
        {
            DurableFile.DeleteQuietly(zipFile);
        }
    });
}
