using System.CommandLine;

namespace Moddock.Commands;

/// <summary>`moddock mod`: module zips and their h1 checksums, made the way the go command makes them.</summary>
internal static class ModCommand
{
    public static Command Create()
    {
        var command = new Command("mod", "Create module zips and compute go.sum h1 checksums, exactly as the go command does.");
        command.Subcommands.Add(ModZipCommand.Create());
        command.Subcommands.Add(ModHashCommand.Create());
        return command;
    }

    /// <summary>Invalid input: exit code 1 and exactly one line on stderr.</summary>
    internal static int Fail(string command, string message)
    {
        var oneLine = string.Join("; ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Console.Error.WriteLine($"moddock mod {command}: {oneLine}");
        return 1;
    }
}
