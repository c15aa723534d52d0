using System.CommandLine;
using Moddock.Modules.Zip;

namespace Moddock.Commands;

/// <summary>
/// `moddock mod zip DIR --module M --version V -o OUT.zip`: the zip zip.CreateFromDir would write.
/// The zip's h1 is the last line of stdout. The output appears only when complete (written to a
/// temporary file beside it, then renamed), so a failure never leaves a half-written zip.
/// </summary>
internal static class ModZipCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "The module's source directory (its root holds go.mod, if any)." };
        var module = new Option<string>("--module") { Description = "Module path, e.g. example.com/m (required)." };
        var version = new Option<string>("--version") { Description = "Canonical version, e.g. v1.2.3 (required)." };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the zip (required)." };
        var command = new Command("zip", "Create the module zip Go would create from a directory, and print its h1.")
        {
            dir, module, version, output,
        };
        // The options are checked here rather than marked Required, so a missing one is reported
        // on a single stderr line like every other mistake (exit 2: usage).
        command.SetAction(parseResult =>
        {
            var missing = new[] { (module, "the module path, e.g. example.com/m"), (version, "the canonical version, e.g. v1.2.3"), (output, "the zip file to write") }
                .FirstOrDefault(o => string.IsNullOrEmpty(parseResult.GetValue(o.Item1)));
            if (missing.Item1 is not null)
            {
                Console.Error.WriteLine($"moddock mod zip: missing {missing.Item1.Name} ({missing.Item2})");
                return 2;
            }

            return Run(parseResult.GetValue(dir)!, parseResult.GetValue(module)!, parseResult.GetValue(version)!, parseResult.GetValue(output)!);
        });
        return command;
    }

    private static int Run(string dir, string modulePath, string version, string output)
    {
        if (!Directory.Exists(dir))
        {
            return ModCommand.Fail("zip", $"{dir}: no such directory");
        }

        var fullOutput = Path.GetFullPath(output);
        var outputDir = Path.GetDirectoryName(fullOutput)!;
        if (!Directory.Exists(outputDir))
        {
            return ModCommand.Fail("zip", $"-o {output}: directory {outputDir} does not exist");
        }

        // The temporary file sits beside the output for an atomic rename, unless that is inside the
        // tree being zipped, where the walk would pick it up.
        var fullDir = Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        var tempDir = (outputDir + Path.DirectorySeparatorChar).StartsWith(fullDir, StringComparison.Ordinal) ? Path.GetTempPath() : outputDir;
        var temp = Path.Combine(tempDir, "." + Path.GetFileName(fullOutput) + "." + Environment.ProcessId + ".tmp");
        try
        {
            Modules.ModuleError? error;
            string? h1;
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                error = ModuleZip.CreateFromDirectory(stream, modulePath, version, dir, out h1);
            }

            if (error is not null)
            {
                return ModCommand.Fail("zip", error.Message);
            }

            File.Move(temp, fullOutput, overwrite: true);
            Console.Out.WriteLine($"{modulePath}@{version}: wrote {output} ({new FileInfo(fullOutput).Length} bytes)");
            Console.Out.WriteLine(h1);
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ModCommand.Fail("zip", $"{output}: {e.Message}");
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
