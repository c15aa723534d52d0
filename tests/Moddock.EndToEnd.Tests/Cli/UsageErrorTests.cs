using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Cli;

/// <summary>Usage errors: one line on stderr naming the whole command path and its --help, exit code 2.</summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("moddock sumdb keygen", "sumdb", "keygen", "a", "b")]
    [InlineData("moddock serve", "serve", "--bogus")]
    [InlineData("moddock mod hash", "mod", "hash", "a", "b")]
    public void Run_UnknownArgument_OneLineNamingTheCommandPathExit2(string command, params string[] args)
    {
        var r = ProcessRunner.Run(TestEnvironment.Cli, args, timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(2, r.ExitCode);
        var line = Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(command + ": ", line, StringComparison.Ordinal);
        Assert.EndsWith($"(see '{command} --help')", line, StringComparison.Ordinal);
        // The hint must name a command that exists.
        Assert.Equal(0, ProcessRunner.Run(TestEnvironment.Cli, [.. command.Split(' ').Skip(1), "--help"], timeout: TimeSpan.FromSeconds(30)).ExitCode);
    }
}
