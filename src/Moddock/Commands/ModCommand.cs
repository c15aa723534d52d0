using System.CommandLine;

namespace Moddock.Commands;

internal static class ModCommand
{
    public static Command Create()
    {
        var command = new Command("mod", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("moddock mod: not built yet");
            return 1;
        });
        return command;
    }
}
