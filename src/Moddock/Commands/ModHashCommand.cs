using System.CommandLine;
using Moddock.Modules;
using Moddock.Modules.Zip;

namespace Moddock.Commands;

/// <summary>
/// `moddock mod hash FILE`: the go.sum h1 of a module zip (a file ending in .zip, every entry under
/// its full name) or of a go.mod file (any other file, hashed as a single file named go.mod).
/// </summary>
internal static class ModHashCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A module zip (*.zip) or a go.mod file." };
        var command = new Command("hash", "Print the h1 checksum of a module zip or a go.mod file.") { file };
        command.SetAction(parseResult => Run(parseResult.GetValue(file)!));
        return command;
    }

    private static string HashGoModFile(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return DirHash.HashGoMod(stream);
    }

    private static int Run(string file)
    {
        if (!File.Exists(file))
        {
            return ModCommand.Fail("hash", $"{file}: no such file");
        }

        try
        {
            var h1 = file.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
                ? DirHash.HashZip(file)
                : HashGoModFile(file);
            Console.Out.WriteLine(h1);
            return 0;
        }
        catch (ModuleException e)
        {
            return ModCommand.Fail("hash", e.Error.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ModCommand.Fail("hash", $"{file}: {e.Message}");
        }
    }
}
