using System.CommandLine;

namespace Moddock.Commands;

internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "(not built yet)");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("moddock doctor: not built yet");
            return 1;
        });
        return command;
    }
}
