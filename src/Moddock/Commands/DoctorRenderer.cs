using Moddock.Doctor.Reporting;
using Spectre.Console;

namespace Moddock.Commands;

/// <summary>One line per check marked ✓ ! ✗; under a failure its cause, where, and one fix to copy; -v adds details.</summary>
internal static class DoctorRenderer
{
    public static void Render(IAnsiConsole console, DoctorReport report, bool verbose)
    {
        foreach (var c in report.Checks)
        {
            var (mark, color) = c.Status switch
            {
                CheckStatus.Ok => ("✓", "green"),
                CheckStatus.Warn => ("!", "yellow"),
                _ => ("✗", "red"),
            };
            var target = c.Target is null ? string.Empty : $" [grey]{E(c.Target)}[/]";
            var time = c.ElapsedMs >= 1 ? $" [grey]({c.ElapsedMs:0} ms)[/]" : string.Empty;
            console.MarkupLine($"[{color}]{mark}[/] {E(c.Name)}{target}: {E(c.Detail)}{time}");
            if (c.Status != CheckStatus.Ok && (c.Cause is not null || c.Fix is not null))
            {
                if (c.Cause is not null)
                {
                    console.MarkupLine($"    cause: [bold]{E(c.Cause)}[/]" + (c.Where is null ? string.Empty : $" (where: {E(c.Where)})"));
                }

                if (c.Fix is not null)
                {
                    console.MarkupLine($"    fix:   [cyan]{E(c.Fix)}[/]");
                }
            }

            if (verbose)
            {
                foreach (var d in c.Details)
                {
                    console.MarkupLine($"    [grey]{E(d)}[/]");
                }
            }
        }

        var fails = report.Checks.Count(c => c.Status == CheckStatus.Fail);
        var warns = report.Checks.Count(c => c.Status == CheckStatus.Warn);
        console.MarkupLine(fails == 0
            ? $"[green]No problems found[/]" + (warns > 0 ? $" ({warns} warning(s))" : string.Empty)
            : $"[red]{fails} problem(s)[/], {warns} warning(s)");
    }

    private static string E(string? s) => Markup.Escape(SecretRedactor.Redact(s));
}
