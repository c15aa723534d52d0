using System.CommandLine;

namespace Moddock.Commands;

internal static class ExplainCommand
{
    public static Command Create()
    {
        var command = new Command("explain", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("moddock explain: not built yet");
            return 1;
        });
        return command;
    }
}
