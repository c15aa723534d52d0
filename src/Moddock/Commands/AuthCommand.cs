using System.CommandLine;
using System.Text;
using Moddock.Server.Auth;

namespace Moddock.Commands;

/// <summary>
/// `moddock auth hash [--name NAME]`: reads one secret (a password or token) from stdin and prints its
/// PBKDF2 hash for the `auth:` section of the serve config. The secret is never an argument, so it stays
/// out of shell history and process listings.
/// </summary>
internal static class AuthCommand
{
    public static Command Create()
    {
        var command = new Command("auth", "Client authentication tools for `moddock serve`.");
        command.Subcommands.Add(CreateHash());
        return command;
    }

    private static Command CreateHash()
    {
        var name = new Option<string>("--name") { Description = "Print a ready YAML list entry (- name: NAME / hash: ...) instead of the bare hash" };
        var hash = new Command("hash", "Read a password or token from stdin (first line) and print its hash for the auth: section of the serve config.");
        hash.Options.Add(name);
        hash.SetAction(result =>
        {
            var secret = ReadSecret();
            if (string.IsNullOrEmpty(secret))
            {
                Console.Error.WriteLine("moddock auth hash: no secret on stdin (e.g. `printf %s \"$TOKEN\" | moddock auth hash`)");
                return 2;
            }

            var line = ClientSecretHash.Create(secret);
            var n = result.GetValue(name);
            Console.Out.Write(string.IsNullOrEmpty(n) ? line + "\n" : $"- name: {n}\n  hash: \"{line}\"\n");
            return 0;
        });
        return hash;
    }

    /// <summary>The first line of stdin without its line break; on a terminal it is read without echo.</summary>
    private static string? ReadSecret()
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }

        Console.Error.Write("secret (not echoed): ");
        var sb = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (sb.Length > 0)
                {
                    sb.Length--;
                }

                continue;
            }

            sb.Append(key.KeyChar);
        }

        Console.Error.WriteLine();
        return sb.ToString();
    }
}
