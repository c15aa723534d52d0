using System.Collections.Concurrent;
using System.Diagnostics;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Serve.Support;

/// <summary>`moddock serve` as a real process on 127.0.0.1 and a free port; killed by its PID when disposed.</summary>
internal sealed class ServeProcess : IDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    private readonly Process _process;

    static ServeProcess()
    {
        // A test host that dies (or is stopped) mid-test must not leave servers behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var p in Running.Values)
            {
                try
                {
                    p.Kill();
                }
                catch (InvalidOperationException)
                {
                    // already gone
                }
            }
        };
    }

    private ServeProcess(Process process, int port, string storage)
    {
        _process = process;
        Port = port;
        Storage = storage;
    }

    public int Port { get; }

    public string Storage { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public int Pid => _process.Id;

    public ConcurrentQueue<string> Output { get; } = new();

    /// <summary>
    /// Waits (at most <paramref name="seconds"/>) until a line of the output contains <paramref name="text"/>: the
    /// server writes its log in batches, so a line about a request can appear after the answer.
    /// </summary>
    public async Task WaitForOutputAsync(string text, int seconds = 10)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!Output.Any(l => l.Contains(text, StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    /// <param name="env">MODDOCK_* settings (timeouts, TTLs) for this run.</param>
    public static async Task<ServeProcess> StartAsync(string upstream, string? storage = null, IDictionary<string, string>? env = null, params string[] extraArgs)
    {
        storage ??= TestEnvironment.NewTempDir("serve-storage");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(upstream, storage, env, extraArgs);
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("cannot listen", StringComparison.Ordinal))
            {
                // FreePort.Next raced with another test taking the same port: pick another.
            }
        }
    }

    private static async Task<ServeProcess> StartOnceAsync(string upstream, string storage, IDictionary<string, string>? env, string[] extraArgs)
    {
        var port = FreePort.Next();
        var psi = new ProcessStartInfo(TestEnvironment.Cli)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // No checksum database unless the test names one (the option may be given once).
        string[] sumdb = extraArgs.Contains("--sumdb") ? [] : ["--sumdb", "off"];
        foreach (var a in new[] { "serve", "--listen", $"127.0.0.1:{port}", "--storage", storage, "--upstream", upstream }.Concat(sumdb).Concat(extraArgs))
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var k in new[] { "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "NO_PROXY" })
        {
            psi.Environment.Remove(k);
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start moddock");
        Running[process.Id] = process;
        var serve = new ServeProcess(process, port, storage);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { serve.Output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { serve.Output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await serve.WaitHealthyAsync();
        }
        catch
        {
            serve.Dispose();
            throw;
        }

        return serve;
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // drains the output events
                throw new InvalidOperationException("moddock serve exited: " + string.Join('\n', Output));
            }

            try
            {
                if ((await http.GetAsync(Url + "/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet, or too busy to answer within the probe's timeout
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("moddock serve did not become healthy: " + string.Join('\n', Output));
    }

    /// <summary>SIGKILL, as `kill -9` would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM; returns the exit code.</summary>
    public int Terminate()
    {
        ProcessRunner.Run("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (!_process.WaitForExit(15_000))
        {
            Kill();
            return -1;
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        Kill();
        Running.TryRemove(_process.Id, out _);
        _process.Dispose();
    }
}
