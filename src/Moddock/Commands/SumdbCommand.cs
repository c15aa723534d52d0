using System.CommandLine;
using Moddock.Sumdb;

namespace Moddock.Commands;

/// <summary>`moddock sumdb keygen NAME`: prints a signer key line, then a verifier key line.</summary>
internal static class SumdbCommand
{
    public static Command Create()
    {
        var command = new Command("sumdb", "Checksum database tools (private checksum database keys).");
        command.Subcommands.Add(CreateKeygen());
        return command;
    }

    private static Command CreateKeygen()
    {
        var name = new Argument<string>("NAME") { Description = "Database name, host[/path], e.g. sumdb.example.com or moddock.internal/private" };
        var keygen = new Command("keygen", "Make an Ed25519 key pair: line 1 is the signer key (keep it secret, pass the file to serve --private-sumdb-key), line 2 the verifier key (put it in GOSUMDB).");
        keygen.Arguments.Add(name);
        keygen.SetAction(result =>
        {
            var n = result.GetValue(name) ?? "";
            if (!SumdbKeys.IsValidName(n, out var error))
            {
                Console.Error.WriteLine("moddock sumdb keygen: " + error);
                return 2;
            }

            var (signer, verifier) = SumdbKeys.Generate(n);
            Console.Out.Write(signer + "\n" + verifier + "\n");
            return 0;
        });
        return keygen;
    }
}
