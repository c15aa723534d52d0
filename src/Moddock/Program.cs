using System.CommandLine;

namespace Moddock;

internal static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("Moddock: a Go module proxy that survives the network, and a doctor that explains why go fails on it.");
        return root.Parse(args).Invoke();
    }
}
