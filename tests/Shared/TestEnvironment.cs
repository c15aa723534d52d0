using System.Diagnostics;

namespace Moddock.Testing;

/// <summary>Locates the repository, the built CLI and the Go oracles for tests in every project.</summary>
internal static class TestEnvironment
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Moddock.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Moddock.slnx not found above " + AppContext.BaseDirectory);
    });

    private static readonly Lazy<string> Oracles = new(BuildOracles);

    public static string RepoRoot => Root.Value;

    /// <summary>Where test.sh keeps its scratch files; tests put their own temp trees below it.</summary>
    public static string OutDir =>
        Environment.GetEnvironmentVariable("MODDOCK_TEST_OUT") is { Length: > 0 } o ? o : Path.Combine(RepoRoot, ".test-out");

    /// <summary>Path of a Go oracle binary from tests/oracle/src/NAME, built once per test run.</summary>
    public static string Oracle(string name)
    {
        var path = Path.Combine(Oracles.Value, name);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Go oracle '{name}' was not built; see tests/oracle/build.sh");
        }

        return path;
    }

    /// <summary>The moddock CLI built by the solution build (Release, else Debug).</summary>
    public static string Cli
    {
        get
        {
            if (Environment.GetEnvironmentVariable("MODDOCK_CLI") is { Length: > 0 } cli && File.Exists(cli))
            {
                return cli;
            }

            foreach (var config in new[] { "Release", "Debug" })
            {
                var p = Path.Combine(RepoRoot, "src", "Moddock", "bin", config, "net10.0", "moddock");
                if (File.Exists(p))
                {
                    return p;
                }
            }

            throw new InvalidOperationException("moddock CLI not built: run dotnet build first");
        }
    }

    public static string NewTempDir(string prefix)
    {
        var dir = Path.Combine(OutDir, "tmp", prefix + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string BuildOracles()
    {
        if (Environment.GetEnvironmentVariable("MODDOCK_ORACLE_DIR") is { Length: > 0 } dir && Directory.Exists(dir))
        {
            return dir;
        }

        // Not under test.sh: build the oracles ourselves, once per process.
        var outDir = Path.Combine(OutDir, "bin-" + Environment.ProcessId);
        var result = ProcessRunner.Run("bash", [Path.Combine(RepoRoot, "tests", "oracle", "build.sh"), outDir], timeout: TimeSpan.FromMinutes(5));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("building the Go oracles failed:\n" + result.StdErr);
        }

        return outDir;
    }
}

internal sealed record ProcessResult(int ExitCode, string StdOut, string StdErr);

internal static class ProcessRunner
{
    /// <summary>Runs a process to completion, killing its whole tree on timeout.</summary>
    public static ProcessResult Run(
        string file,
        IEnumerable<string> args,
        string? workingDirectory = null,
        IDictionary<string, string?>? env = null,
        string? stdin = null,
        TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                if (v is null)
                {
                    psi.Environment.Remove(k);
                }
                else
                {
                    psi.Environment[k] = v;
                }
            }
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + file);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }

        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return new ProcessResult(-1, stdout.Result, stderr.Result + $"\n[timed out after {timeout}]");
        }

        return new ProcessResult(p.ExitCode, stdout.Result, stderr.Result);
    }
}
