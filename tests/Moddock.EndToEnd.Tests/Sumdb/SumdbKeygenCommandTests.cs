using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Sumdb;

/// <summary>`moddock sumdb keygen NAME`, checked by Go's note package (through the sumoracle Go program).</summary>
public sealed class SumdbKeygenCommandTests
{
    [Fact]
    public void Keygen_Name_PrintsSignerThenVerifierKeyThatGoAccepts()
    {
        var r = ProcessRunner.Run(TestEnvironment.Cli, ["sumdb", "keygen", "moddock.internal/private"], timeout: TimeSpan.FromSeconds(60));

        Assert.True(r.ExitCode == 0, r.StdErr);
        var lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("PRIVATE+KEY+moddock.internal/private+", lines[0]);
        var go = Ask($"signer\t{lines[0]}\nverifier\t{lines[1]}\n");
        Assert.Equal(2, go.Length);
        Assert.StartsWith("ok\tmoddock.internal/private\t", go[0]);
        Assert.Equal(go[0], go[1]); // same name and key hash: the two lines are one key pair
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("plus+sign")]
    [InlineData("trailing/")]
    public void Keygen_BadName_Exit2WithReason(string name)
    {
        var r = ProcessRunner.Run(TestEnvironment.Cli, ["sumdb", "keygen", name], timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("invalid", r.StdErr);
        Assert.Equal("", r.StdOut);
    }

    private static string[] Ask(string input)
    {
        var r = ProcessRunner.Run(TestEnvironment.Oracle("sumoracle"), ["batch"], stdin: input, timeout: TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, r.StdErr);
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
