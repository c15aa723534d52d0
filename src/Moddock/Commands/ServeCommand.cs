using System.CommandLine;

namespace Moddock.Commands;

internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("moddock serve: not built yet");
            return 1;
        });
        return command;
    }
}
