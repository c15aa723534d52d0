using System.Diagnostics;
using System.Net.Sockets;

namespace Moddock.Testing;

/// <summary>
/// A real `git daemon` serving every repository under a base directory as git://127.0.0.1:PORT/NAME,
/// on a free port. Started by the test that needs it and stopped by its PID (with the per-connection
/// children it forked) when disposed. Every wait is bounded.
/// </summary>
internal sealed class DirectGitDaemon : IDisposable
{
    private readonly Process _process;

    private DirectGitDaemon(Process process, int port, string basePath)
    {
        _process = process;
        Port = port;
        BasePath = basePath;
    }

    public int Port { get; }

    public string BasePath { get; }

    /// <summary>git://127.0.0.1:PORT/ (with the trailing slash).</summary>
    public string Url => $"git://127.0.0.1:{Port}/";

    public int Pid => _process.Id;

    public static DirectGitDaemon Start(string basePath)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var psi = new ProcessStartInfo("git")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in new[]
            {
                "daemon", "--listen=127.0.0.1", $"--port={port}", $"--base-path={basePath}", "--export-all",
                "--reuseaddr", "--informative-errors", basePath,
            })
            {
                psi.ArgumentList.Add(a);
            }

            psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
            psi.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
            var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start git daemon");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var daemon = new DirectGitDaemon(process, port, basePath);
            if (daemon.WaitListening(TimeSpan.FromSeconds(10)))
            {
                return daemon;
            }

            daemon.Dispose();
            if (attempt >= 3)
            {
                throw new InvalidOperationException($"git daemon did not listen on 127.0.0.1:{port}");
            }

            // FreePort.Next raced with another test for the same port: try another.
        }
    }

    private bool WaitListening(TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                return false;
            }

            try
            {
                using var client = new TcpClient();
                if (client.ConnectAsync("127.0.0.1", Port).Wait(TimeSpan.FromSeconds(1)) && client.Connected)
                {
                    return true;
                }
            }
            catch (AggregateException)
            {
                // not listening yet
            }
            catch (SocketException)
            {
                // not listening yet
            }

            Thread.Sleep(50);
        }

        return false;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
    }
}
