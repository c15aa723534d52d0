using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Serve.Support;

/// <summary>
/// `moddock serve` as a real process on 127.0.0.1 and a free port, with the arguments a test gives (so also
/// --tls-cert/--tls-key: then it is probed over https, trusting only the test CA). Killed by its PID when disposed.
/// </summary>
internal sealed class TlsServeProcess : IDisposable
{
    private readonly Process _process;

    private TlsServeProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    /// <summary>https://127.0.0.1:PORT when a CA was given, else http://.</summary>
    public string Url { get; }

    public ConcurrentQueue<string> Output { get; } = new();

    /// <param name="args">Everything after `serve --listen 127.0.0.1:PORT`.</param>
    /// <param name="trust">The CA that signed --tls-cert; null for plain http.</param>
    public static async Task<TlsServeProcess> StartAsync(IEnumerable<string> args, X509Certificate2? trust, IReadOnlyDictionary<string, string?>? env = null)
    {
        var list = args.ToList();
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var psi = new ProcessStartInfo(TestEnvironment.Cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "serve", "--listen", $"127.0.0.1:{port}" }.Concat(list))
            {
                psi.ArgumentList.Add(a);
            }

            foreach (var k in new[] { "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "NO_PROXY" })
            {
                psi.Environment.Remove(k);
            }

            foreach (var (k, v) in env ?? new Dictionary<string, string?>())
            {
                psi.Environment[k] = v;
            }

            var serve = new TlsServeProcess(Process.Start(psi)!, $"{(trust is null ? "http" : "https")}://127.0.0.1:{port}");
            serve._process.OutputDataReceived += (_, e) => { if (e.Data is not null) { serve.Output.Enqueue(e.Data); } };
            serve._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { serve.Output.Enqueue(e.Data); } };
            serve._process.BeginOutputReadLine();
            serve._process.BeginErrorReadLine();
            if (await serve.WaitHealthyAsync(trust))
            {
                return serve;
            }

            serve.Dispose();
            if (attempt == 3 || !serve.Output.Any(l => l.Contains("cannot listen", StringComparison.Ordinal)))
            {
                throw new InvalidOperationException("moddock serve did not become healthy:\n" + string.Join('\n', serve.Output));
            }
        }
    }

    private async Task<bool> WaitHealthyAsync(X509Certificate2? trust)
    {
        using var http = trust is null ? new HttpClient() : TlsTestCertificates.ClientTrusting(trust);
        http.Timeout = TimeSpan.FromSeconds(2);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(Url + "/healthz")).IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        if (_process.HasExited)
        {
            _process.WaitForExit(); // drains the output events
        }

        return false;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
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
