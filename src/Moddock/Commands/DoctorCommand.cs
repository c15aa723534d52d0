using System.CommandLine;
using System.Globalization;
using Moddock.Doctor;
using Moddock.Doctor.Reporting;
using Spectre.Console;

namespace Moddock.Commands;

/// <summary>`moddock doctor [--json] [-v] [--module PATH]... [--timeout SECONDS]`: why `go mod tidy` fails on this network.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print {\"ok\",\"checks\":[…]} for scripts" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show every setting and the details of each check" };
        var modules = new Option<string[]>("--module") { Description = "A module path to route and probe (repeatable); default: the requirements of ./go.mod", AllowMultipleArgumentsPerToken = false };
        var timeout = new Option<string?>("--timeout") { Description = "Total time for all probes, in seconds (default 15)" };
        var command = new Command("doctor", "Probe the network the way the go command uses it and name the cause of each problem, with a fix.")
        {
            json,
            verbose,
            modules,
            timeout,
        };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(json), parse.GetValue(verbose), parse.GetValue(modules) ?? [], parse.GetValue(timeout), ct));
        return command;
    }

    private static async Task<int> RunAsync(bool json, bool verbose, string[] modules, string? timeoutText, CancellationToken ct)
    {
        var timeout = DoctorOptions.DefaultTimeout;
        if (timeoutText is not null)
        {
            if (!double.TryParse(timeoutText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0 || seconds > 3600)
            {
                await Console.Error.WriteLineAsync($"moddock doctor: --timeout must be a number of seconds between 0 and 3600, not \"{timeoutText}\"").ConfigureAwait(false);
                return 2;
            }

            timeout = TimeSpan.FromSeconds(seconds);
        }

        var options = new DoctorOptions(modules, timeout, Environment.CurrentDirectory, Environment.GetEnvironmentVariable, TimeProvider.System);
        DoctorReport report;
        try
        {
            report = await RunReportAsync(options, json, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("moddock doctor: internal error: " + SecretRedactor.Redact(e.Message)).ConfigureAwait(false);
            return 1;
        }

        if (json)
        {
            using var stdout = Console.OpenStandardOutput();
            ReportJson.Write(stdout, report);
        }
        else
        {
            DoctorRenderer.Render(DoctorConsole.Create(), report, verbose);
        }

        return report.Ok ? 0 : 1;
    }

    private static async Task<DoctorReport> RunReportAsync(DoctorOptions options, bool json, CancellationToken ct)
    {
        DoctorReport report;
        if (json || Console.IsOutputRedirected)
        {
            report = await DoctorRunner.RunAsync(options, null, ct).ConfigureAwait(false);
        }
        else
        {
            var console = DoctorConsole.Create();
            DoctorReport? result = null;
            await console.Status().Spinner(Spinner.Known.Dots).StartAsync("probing…", async status =>
            {
                result = await DoctorRunner.RunAsync(options, msg => status.Status(Markup.Escape(SecretRedactor.Redact(msg))), ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
            report = result!;
        }

        return report;
    }
}
