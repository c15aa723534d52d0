using System.CommandLine;

namespace Moddock.Commands;

internal static class SumdbCommand
{
    public static Command Create()
    {
        var command = new Command("sumdb", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("moddock sumdb: not built yet");
            return 1;
        });
        return command;
    }
}
