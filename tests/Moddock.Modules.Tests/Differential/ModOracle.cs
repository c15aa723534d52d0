using System.Diagnostics;
using System.Text;
using Moddock.Modules.Text;
using Moddock.Testing;

namespace Moddock.Modules.Tests.Differential;

/// <summary>One oracle request: an operation of tests/oracle/src/modoracle and its (Go string) arguments.</summary>
internal sealed record OracleRequest(string Op, params string[] Args)
{
    public override string ToString() => Op + "(" + string.Join(", ", Args.Select(GoQuote.Quote)) + ")";
}

/// <summary>
/// The long-running Go oracle (golang.org/x/mod from Debian) behind a hex line protocol. Requests are
/// batched: one process answers every differential test of the run, and is killed by PID on dispose.
/// </summary>
internal sealed class ModOracle : IDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();

    public ModOracle()
    {
        var psi = new ProcessStartInfo(TestEnvironment.Oracle("modoracle"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start modoracle");
        _process.StandardInput.AutoFlush = false;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
    }

    public string[][] Ask(IReadOnlyList<OracleRequest> requests)
    {
        lock (_gate)
        {
            // One writer task streams the whole batch while this thread reads the answers, so neither side blocks
            // on a full pipe. A watchdog kills the oracle if a batch hangs, which fails the read below.
            var writer = Task.Run(() =>
            {
                var w = _process.StandardInput;
                var sb = new StringBuilder();
                foreach (var r in requests)
                {
                    sb.Append(r.Op);
                    foreach (var a in r.Args)
                    {
                        sb.Append('\t').Append(Convert.ToHexStringLower(GoBytes.Encode(a)));
                    }

                    sb.Append('\n');
                    if (sb.Length > 1 << 16)
                    {
                        w.Write(sb.ToString());
                        sb.Clear();
                    }
                }

                w.Write(sb.ToString());
                w.Flush();
            });

            using var watchdog = new Timer(_ => _process.Kill(), null, TimeSpan.FromMinutes(3), Timeout.InfiniteTimeSpan);
            var answers = new string[requests.Count][];
            for (var i = 0; i < requests.Count; i++)
            {
                var line = _process.StandardOutput.ReadLine()
                    ?? throw new InvalidOperationException($"modoracle gave no answer to {requests[i]}");
                answers[i] = line.Split('\t').Select(f => GoBytes.Decode(Convert.FromHexString(f))).ToArray();
            }

            writer.Wait();
            return answers;
        }
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ModOracleCollection : ICollectionFixture<ModOracleFixture>
{
    public const string Name = "modoracle";
}

/// <summary>Shares one oracle process among the differential test classes.</summary>
public sealed class ModOracleFixture : IDisposable
{
    private readonly Lazy<ModOracle> _oracle = new(() => new ModOracle());

    internal ModOracle Oracle => _oracle.Value;

    public void Dispose()
    {
        if (_oracle.IsValueCreated)
        {
            _oracle.Value.Dispose();
        }
    }
}
