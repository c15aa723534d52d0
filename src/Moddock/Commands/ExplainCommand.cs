using System.CommandLine;
using System.Text;
using Moddock.Doctor.Explain;
using Moddock.Doctor.Reporting;
using Spectre.Console;

namespace Moddock.Commands;

/// <summary>`moddock explain [--json] [FILE|-]`: names the cause of each failure in go command output.</summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print findings as JSON: {\"findings\":[{line,text,cause,where,fix}]}" };
        var file = new Argument<string?>("FILE") { Description = "go command output to read; '-' or nothing reads standard input", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("explain", "Explain why the go command failed: the cause id, where, and one fix for each failure in its output.")
        {
            json,
            file,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(json), parse.GetValue(file), ct));
        return command;
    }

    private static async Task<int> RunAsync(bool json, string? file, CancellationToken ct)
    {
        TextReader input;
        if (file is null or "-")
        {
            input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false, false), false, 64 * 1024);
        }
        else
        {
            try
            {
                input = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, FileOptions.SequentialScan), new UTF8Encoding(false, false));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                // .NET says "Access to the path is denied" for a directory; name what is actually wrong.
                var why = Directory.Exists(file) ? "it is a directory; give the file the go command's output was saved in, or - for stdin" : e.Message;
                await Console.Error.WriteLineAsync($"moddock explain: cannot read {file}: {why}").ConfigureAwait(false);
                return 2;
            }
        }

        using (input)
        {
            var findings = new List<Finding>();
            var console = json ? null : DoctorConsole.Create();
            await foreach (var f in LogExplainer.ExplainAsync(input, ct).ConfigureAwait(false))
            {
                if (console is null)
                {
                    findings.Add(f);
                }
                else
                {
                    Render(console, f);
                    findings.Add(f);
                }
            }

            if (json)
            {
                using var stdout = Console.OpenStandardOutput();
                ExplainJson.Write(stdout, findings);
            }
            else if (findings.Count == 0)
            {
                console!.MarkupLine("[green]✓[/] no failure found in the go command output");
            }

            return findings.Count == 0 ? 0 : 1;
        }
    }

    private static void Render(IAnsiConsole console, Finding f)
    {
        var place = f.Where is null ? string.Empty : $" ({f.Where}{(f.Host is null ? string.Empty : ": " + f.Host)})";
        console.MarkupLine($"[red]✗[/] line {f.Line}: [bold]{Markup.Escape(f.Cause)}[/]{Markup.Escape(SecretRedactor.Redact(place))}");
        console.MarkupLine($"    [grey]{Markup.Escape(SecretRedactor.Redact(f.Text))}[/]");
        console.MarkupLine($"    fix: [cyan]{Markup.Escape(SecretRedactor.Redact(f.Fix))}[/]");
    }
}
