using System.Runtime.InteropServices;
using System.Text.Json;
using Moddock.Testing;

namespace Moddock.Doctor.Tests.Faults;

/// <summary>Runs the built `moddock doctor --json` in an isolated HOME, with or without `go` on PATH.</summary>
internal static class DoctorCli
{
    private static readonly string[] Cleared =
    [
        "GOPROXY", "GONOPROXY", "GOPRIVATE", "GONOSUMDB", "GOSUMDB", "GOINSECURE", "GOFLAGS", "GOENV", "GOVCS", "XDG_CONFIG_HOME",
        "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "SSL_CERT_FILE", "SSL_CERT_DIR", "MODDOCK_DNS_SERVER", "NETRC",
    ];

    private static readonly Lazy<string> NoGoBin = new(() =>
    {
        // A PATH with the tools the doctor may use, but no go.
        var bin = TestEnvironment.NewTempDir("nogo-bin");
        foreach (var tool in new[] { "git", "ssh", "sh", "env" })
        {
            var src = new[] { "/usr/bin", "/bin" }.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
            if (src is not null)
            {
                File.CreateSymbolicLink(Path.Combine(bin, tool), src);
            }
        }

        return bin;
    });

    public static (int ExitCode, JsonDocument Json, string Stdout, string Stderr, TimeSpan Took) Run(bool withGo, IDictionary<string, string?> vars, int timeoutSeconds, Action<string>? setup, string[] args)
    {
        var home = TestEnvironment.NewTempDir("doctor-home");
        setup?.Invoke(home);
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var k in Cleared)
        {
            env[k] = null;
        }

        env["HOME"] = home;
        env["GOPATH"] = Path.Combine(home, "gopath");
        env["GOCACHE"] = Path.Combine(home, "gocache");
        env["GOMODCACHE"] = Path.Combine(home, "gopath", "pkg", "mod");
        env["GOFLAGS"] = "-modcacherw";
        env["GONOPROXY"] = string.Empty;
        env["GOPRIVATE"] = string.Empty;
        env["GONOSUMDB"] = string.Empty;
        env["GOINSECURE"] = string.Empty;
        env["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        env["PATH"] = withGo ? "/usr/local/bin:/usr/bin:/bin" : NoGoBin.Value;
        foreach (var (k, v) in vars)
        {
            env[k] = v;
        }

        var started = DateTime.UtcNow;
        var result = ProcessRunner.Run(TestEnvironment.Cli, ["doctor", "--json", "--timeout", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args], home, env, timeout: TimeSpan.FromSeconds(timeoutSeconds + 15));
        var took = DateTime.UtcNow - started;
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(result.StdOut);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"doctor printed no JSON (exit {result.ExitCode}): {e.Message}\nstdout:\n{result.StdOut}\nstderr:\n{result.StdErr}", e);
        }

        return (result.ExitCode, json, result.StdOut, result.StdErr, took);
    }
}
