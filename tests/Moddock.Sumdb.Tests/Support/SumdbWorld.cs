using System.Security.Cryptography;
using Moddock.Sumdb.Client;
using Moddock.Sumdb.Note;
using Moddock.Testing;

namespace Moddock.Sumdb.Tests.Support;

/// <summary>
/// A test's checksum-database world: an Ed25519 key made by Go, a records file of go.sum lines for
/// example.com/mNN modules, real Go sumdb servers over it, and clients with their own storage.
/// </summary>
internal sealed class SumdbWorld : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private readonly HttpClient _http = new();

    public SumdbWorld(int modules = 12)
    {
        Dir = TestEnvironment.NewTempDir("sumdb");
        var keys = SumOracle.Instance.Ok("keygen", "sumdb.moddock.test");
        SignerKey = keys[0];
        VerifierKey = keys[1];
        RecordsFile = Path.Combine(Dir, "records.txt");
        for (var i = 0; i < modules; i++)
        {
            Lines[$"example.com/m{i:00}@v1.0.0"] = ($"h1:{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}", $"h1:{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}");
        }

        WriteRecords();
    }

    public string Dir { get; }

    public string SignerKey { get; }

    public string VerifierKey { get; }

    public string RecordsFile { get; }

    /// <summary>"M@V" → (zip h1, go.mod h1) as the database knows them.</summary>
    public Dictionary<string, (string Zip, string Mod)> Lines { get; } = [];

    public NoteVerifier Verifier => NoteKeys.TryParseVerifier(VerifierKey, out var v, out _) ? v! : throw new InvalidOperationException();

    public void WriteRecords() => File.WriteAllText(RecordsFile, string.Concat(Lines.Select(kv =>
    {
        var (m, v) = (kv.Key.Split('@')[0], kv.Key.Split('@')[1]);
        return $"{m} {v} {kv.Value.Zip}\n{m} {v}/go.mod {kv.Value.Mod}\n";
    })));

    public GoSumdbServer Start(params string[] preload)
    {
        var s = new GoSumdbServer(SignerKey, RecordsFile, preload);
        _owned.Add(s);
        return s;
    }

    public (SumdbClient Client, RecordingOps Ops, HttpFileClientOps Inner, ListLogger Log) Client(Uri url, string storage = "storage", bool offline = false, SumdbLimits? limits = null, NoteVerifier? verifier = null)
    {
        var log = new ListLogger();
        var inner = new HttpFileClientOps(_http, url, Path.Combine(Dir, storage), limits ?? SumdbLimits.Default, offline, log);
        var ops = new RecordingOps(inner);
        return (new SumdbClient(verifier ?? Verifier, ops, log), ops, inner, log);
    }

    public static string ZipLine(string mv, (string Zip, string Mod) h) => $"{mv.Replace('@', ' ')} {h.Zip}";

    public void Dispose()
    {
        foreach (var d in _owned)
        {
            d.Dispose();
        }

        _http.Dispose();
    }
}
