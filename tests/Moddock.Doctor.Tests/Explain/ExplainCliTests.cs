using System.Text;
using System.Text.Json;
using Moddock.Testing;

namespace Moddock.Doctor.Tests.Explain;

/// <summary>`moddock explain` as a user runs it: files and stdin, JSON shape, garbage and a 100 MB log.</summary>
public sealed class ExplainCliTests
{
    [Fact]
    public void Explain_JsonFromStdin_HasExactShape()
    {
        const string log = "go: downloading golang.org/x/text v0.5.0\ngo: golang.org/x/text@v0.5.0: Get \"https://proxy.golang.org/golang.org/x/text/@v/v0.5.0.mod\": dial tcp 142.250.74.49:443: connect: connection refused\n";
        var r = ProcessRunner.Run(TestEnvironment.Cli, ["explain", "--json", "-"], stdin: log, timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(1, r.ExitCode);
        using var doc = JsonDocument.Parse(r.StdOut);
        var f = Assert.Single(doc.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal(["line", "text", "cause", "where", "fix"], f.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(2, f.GetProperty("line").GetInt32());
        Assert.Equal("tcp.refused", f.GetProperty("cause").GetString());
        Assert.Equal("proxy", f.GetProperty("where").GetString());
    }

    [Fact]
    public void Explain_NormalOutput_ExitsZeroWithNoFindings()
    {
        var r = ProcessRunner.Run(TestEnvironment.Cli, ["explain", "--json"], stdin: "go: downloading rsc.io/quote v1.5.2\ngo: added rsc.io/quote v1.5.2\n", timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.StdOut);
        Assert.Empty(doc.RootElement.GetProperty("findings").EnumerateArray());
    }

    [Fact]
    public void Explain_GarbageOnStdin_GivesCleanReport()
    {
        var rnd = new Random(42);
        var sb = new StringBuilder();
        for (var i = 0; i < 20000; i++)
        {
            sb.Append((char)rnd.Next(1, 0xD7FF));
        }

        var r = ProcessRunner.Run(TestEnvironment.Cli, ["explain", "--json"], stdin: sb.ToString(), timeout: TimeSpan.FromSeconds(60));

        Assert.Contains(r.ExitCode, new[] { 0, 1 });
        using var doc = JsonDocument.Parse(r.StdOut);
        Assert.Equal(JsonValueKind.Array, doc.RootElement.GetProperty("findings").ValueKind);
        Assert.DoesNotContain("Unhandled exception", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_MissingFile_ClearErrorExitTwo()
    {
        var r = ProcessRunner.Run(TestEnvironment.Cli, ["explain", "/nonexistent/go-build.log"], timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("cannot read /nonexistent/go-build.log", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_DirectoryAsFile_SaysItIsADirectory()
    {
        var dir = TestEnvironment.NewTempDir("explain-dir");
        var r = ProcessRunner.Run(TestEnvironment.Cli, ["explain", dir], timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"cannot read {dir}: it is a directory", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_HundredMegabyteLog_StreamsAndFindsTheFailureAtTheEnd()
    {
        var dir = TestEnvironment.NewTempDir("explain-big");
        var file = Path.Combine(dir, "huge.log");
        using (var w = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 20))
        {
            var line = "go: downloading github.com/example/some-module-with-a-long-name v1.2.3 // padding to make the line longer than usual\n";
            long written = 0;
            while (written < 100L * 1024 * 1024)
            {
                w.Write(line);
                written += line.Length;
            }

            w.Write(new string('x', 3 * 1024 * 1024)); // one 3 MB line without a newline in the middle
            w.Write("\ngo: example.com/m@v1.0.0: reading https://sum.golang.org/lookup/example.com/m@v1.0.0: dial tcp: lookup sum.golang.org: no such host\n");
        }

        var r = ProcessRunner.Run(TestEnvironment.Cli, ["explain", "--json", file], timeout: TimeSpan.FromSeconds(120));
        File.Delete(file);

        Assert.Equal(1, r.ExitCode);
        using var doc = JsonDocument.Parse(r.StdOut);
        var f = Assert.Single(doc.RootElement.GetProperty("findings").EnumerateArray());
        Assert.Equal("dns.nxdomain", f.GetProperty("cause").GetString());
        Assert.Equal("sumdb", f.GetProperty("where").GetString());
    }
}
