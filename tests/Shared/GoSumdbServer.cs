using System.Diagnostics;

namespace Moddock.Testing;

/// <summary>
/// A real checksum database: x/mod's sumdb.NewServer(sumdb.NewTestServer(signer, gosum)) run by the oracle on
/// 127.0.0.1. Records come from a go.sum-style file; the M@V given are logged first, in order (fixed history).
/// Stopped (by its PID) on Dispose.
/// </summary>
internal sealed class GoSumdbServer : IDisposable
{
    private readonly Process _process;

    public GoSumdbServer(string signerKey, string recordsFile, params string[] preload)
    {
        var psi = new ProcessStartInfo(TestEnvironment.Oracle("sumoracle"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "serve", signerKey, recordsFile }.Concat(preload))
        {
            psi.ArgumentList.Add(a);
        }

        _process = Process.Start(psi)!;
        var line = _process.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(30)) || line.Result is null)
        {
            Dispose();
            throw new InvalidOperationException("sumoracle serve did not start: " + _process.StandardError.ReadToEnd());
        }

        Url = new Uri(line.Result.Trim());
    }

    public Uri Url { get; }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                Process.GetProcessById(_process.Id).Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
