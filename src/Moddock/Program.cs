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
        return root.Parse(args).Invoke();
    }
}
