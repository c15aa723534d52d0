using System.CommandLine;
using Moddock.Commands;

namespace Moddock;

internal static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("Moddock: a Go module proxy that survives the network, and a doctor that explains why go fails on it.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(ExplainCommand.Create());
        root.Subcommands.Add(ModCommand.Create());
        root.Subcommands.Add(SumdbCommand.Create());
        root.Subcommands.Add(AuthCommand.Create());

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Usage errors are one line on stderr and exit code 2, like every configuration
            // problem; the full help stays one `--help` away instead of flooding a CI log.
            // The whole command path ("moddock sumdb keygen"), so the hint names a command that exists.
            var names = new List<string>();
            for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            {
                names.Insert(0, r.Command == root ? "moddock" : r.Command.Name);
            }

            var command = string.Join(' ', names);
            Console.Error.WriteLine($"{command}: {parse.Errors[0].Message} (see '{command} --help')");
            return 2;
        }

        return parse.Invoke();
    }
}
