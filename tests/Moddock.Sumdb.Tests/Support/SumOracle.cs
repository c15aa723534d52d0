using System.Diagnostics;
using Moddock.Testing;

namespace Moddock.Sumdb.Tests.Support;

/// <summary>One long-running `sumoracle batch` (Go's x/mod) answering tab-separated questions line by line.</summary>
internal sealed class SumOracle : IDisposable
{
    private static readonly Lazy<SumOracle> Shared = new(() => new SumOracle());
    private readonly Process _process;
    private readonly object _gate = new();

    private SumOracle()
    {
        var psi = new ProcessStartInfo(TestEnvironment.Oracle("sumoracle"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("batch");
        _process = Process.Start(psi)!;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
    }

    public static SumOracle Instance => Shared.Value;

    /// <summary>Returns the answer fields; the first is "ok" or "err".</summary>
    public string[] Ask(params string[] fields)
    {
        lock (_gate)
        {
            _process.StandardInput.WriteLine(string.Join('\t', fields));
            _process.StandardInput.Flush();
            var read = _process.StandardOutput.ReadLineAsync();
            if (!read.Wait(TimeSpan.FromSeconds(90)) || read.Result is null)
            {
                throw new InvalidOperationException("sumoracle did not answer: " + string.Join(' ', fields));
            }

            return read.Result.Split('\t');
        }
    }

    /// <summary>Asks and requires "ok"; returns the fields after it.</summary>
    public string[] Ok(params string[] fields)
    {
        var a = Ask(fields);
        Assert.True(a[0] == "ok", $"oracle {fields[0]} failed: {string.Join(' ', a)}");
        return a[1..];
    }

    public static string Records(IEnumerable<byte[]> records)
    {
        var list = records.Select(Convert.ToBase64String).ToList();
        return list.Count == 0 ? "-" : string.Join(',', list);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }
}
