using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Moddock.Testing;

/// <summary>One answer of tests/oracle/src/ziporacle (x/mod zip + dirhash): an h1, an error, or a CheckDir report.</summary>
internal sealed record ZipOracleReply(
    [property: JsonPropertyName("h1")] string? H1,
    [property: JsonPropertyName("err")] string? Err,
    [property: JsonPropertyName("valid")] string[]? Valid,
    [property: JsonPropertyName("omitted")] string[][]? Omitted,
    [property: JsonPropertyName("invalid")] string[][]? Invalid,
    [property: JsonPropertyName("sizeError")] string? SizeError);

/// <summary>
/// The long-running ziporacle process: one tab-separated request line in, one JSON line out.
/// Requests are serialized; the process is killed (by its own PID) on Dispose.
/// </summary>
internal sealed class ZipOracleProcess : IDisposable
{
    private readonly Process _process;
    private readonly Lock _gate = new();

    public ZipOracleProcess()
    {
        var psi = new ProcessStartInfo(TestEnvironment.Oracle("ziporacle"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["TMPDIR"] = TestEnvironment.NewTempDir("ziporacle");
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start ziporacle");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
    }

    /// <summary>h1 of zip.CreateFromDir over <paramref name="dir"/>, or Go's error.</summary>
    public ZipOracleReply ZipDirectory(string modulePath, string version, string dir) => Ask("dirzip", modulePath, version, dir);

    public ZipOracleReply HashZip(string zipFile) => Ask("hashzip", zipFile);

    public ZipOracleReply HashGoMod(string goModFile) => Ask("hashmod", goModFile);

    public ZipOracleReply CheckDir(string dir) => Ask("checkdir", dir);

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
        finally
        {
            _process.Dispose();
        }
    }

    private ZipOracleReply Ask(params string[] fields)
    {
        lock (_gate)
        {
            _process.StandardInput.WriteLine(string.Join('\t', fields));
            _process.StandardInput.Flush();
            var read = _process.StandardOutput.ReadLineAsync();
            if (!read.Wait(TimeSpan.FromSeconds(60)) || read.Result is null)
            {
                throw new TimeoutException("ziporacle gave no answer to " + string.Join(' ', fields));
            }

            return JsonSerializer.Deserialize<ZipOracleReply>(read.Result) ?? throw new InvalidDataException(read.Result);
        }
    }
}
