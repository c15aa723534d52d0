using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Moddock.Modules;
using Moddock.Sumdb.Client;
using Moddock.Sumdb.PrivateLog;
using Moddock.Sumdb.Tests.Support;
using Moddock.Testing;

namespace Moddock.Sumdb.Tests.PrivateLog;

public sealed class PrivateChecksumLogTests
{
    private const string Name = "moddock.test/private";
    private readonly string _dir = TestEnvironment.NewTempDir("privlog");
    private readonly string _keyFile;
    private readonly string _vkey;

    public PrivateChecksumLogTests()
    {
        var keys = SumOracle.Instance.Ok("keygen", Name);
        _vkey = keys[1];
        _keyFile = Path.Combine(_dir, "key");
        File.WriteAllText(_keyFile, keys[0] + "\n" + keys[1] + "\n");
    }

    private async Task<PrivateChecksumLog> OpenAsync()
    {
        var (log, error) = await PrivateChecksumLog.OpenAsync(_keyFile, Path.Combine(_dir, "storage"), NullLogger.Instance, default);
        Assert.True(log is not null, error);
        return log!;
    }

    private static ModulePath P(string p) => ModulePath.Parse(p);

    private static ModuleVersion V(string v) => ModuleVersion.TryParse(v, out var r, out _) ? r : throw new ArgumentException(v);

    private static string H(int i, string kind) => "h1:" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(kind + i)));

    [Fact]
    public async Task VerifyAsync_LoggedOnceThenCompared_MovedTagRefused()
    {
        var log = await OpenAsync();
        Assert.Equal(VerifyOutcome.Verified, (await log.VerifyAsync(P("git.corp/a"), V("v1.0.0"), H(1, "z"), H(1, "m"), default)).Outcome);
        Assert.Equal(VerifyOutcome.Verified, (await log.VerifyAsync(P("git.corp/a"), V("v1.0.0"), H(1, "z"), H(1, "m"), default)).Outcome);

        var moved = await log.VerifyAsync(P("git.corp/a"), V("v1.0.0"), H(2, "z"), H(1, "m"), default);

        Assert.Equal(VerifyOutcome.Mismatch, moved.Outcome);
        Assert.Equal(H(1, "z"), moved.Expected);
        Assert.Equal(H(2, "z"), moved.Actual);
        Assert.Contains("SECURITY ERROR", moved.Reason);
        Assert.Equal(1, log.Size);

        // Persisted: a restarted Moddock still refuses the moved tag.
        var reopened = await OpenAsync();
        Assert.Equal(1, reopened.Size);
        Assert.Equal(VerifyOutcome.Mismatch, (await reopened.VerifyAsync(P("git.corp/a"), V("v1.0.0"), H(3, "z"), H(3, "m"), default)).Outcome);
    }

    [Fact]
    public async Task OpenAsync_TornTail_DroppedAndLogUsable()
    {
        var log = await OpenAsync();
        await log.VerifyAsync(P("git.corp/a"), V("v1.0.0"), H(1, "z"), H(1, "m"), default);
        var latest = (await log.HandleAsync(Name, "latest", default)).Body;
        var file = Directory.GetFiles(Path.Combine(_dir, "storage"), "records.log", SearchOption.AllDirectories).Single();
        File.AppendAllText(file, "500\ngit.corp/b v1");

        var reopened = await OpenAsync();

        Assert.Equal(1, reopened.Size);
        Assert.Equal(latest, (await reopened.HandleAsync(Name, "latest", default)).Body);
        Assert.Equal(VerifyOutcome.Verified, (await reopened.VerifyAsync(P("git.corp/b"), V("v1.0.0"), H(2, "z"), H(2, "m"), default)).Outcome);
        Assert.Equal(2, (await OpenAsync()).Size);
    }

    [Fact]
    public async Task VerifyAsync_TwoLogsSharingOneStorage_OneHistoryNoDuplicateNoFork()
    {
        // Two Moddock processes on one storage directory: each must see what the other logged, so they sign
        // one growing tree (not two trees of the same size, a fork to every go client) and never log twice.
        var a = await OpenAsync();
        var b = await OpenAsync();
        Assert.Equal(VerifyOutcome.Verified, (await a.VerifyAsync(P("git.corp/a"), V("v1.0.0"), H(1, "z"), H(1, "m"), default)).Outcome);
        Assert.Equal(VerifyOutcome.Verified, (await b.VerifyAsync(P("git.corp/b"), V("v1.0.0"), H(2, "z"), H(2, "m"), default)).Outcome);

        var movedOnB = await b.VerifyAsync(P("git.corp/a"), V("v1.0.0"), H(3, "z"), H(1, "m"), default);
        var lookupOnA = await a.HandleAsync(Name, "lookup/git.corp/b@v1.0.0", default);

        Assert.Equal(VerifyOutcome.Mismatch, movedOnB.Outcome);
        Assert.Equal(200, lookupOnA.Status);
        Assert.Equal((await a.HandleAsync(Name, "latest", default)).Body, (await b.HandleAsync(Name, "latest", default)).Body);
        Assert.Equal(2, a.Size);
        Assert.Equal(2, (await OpenAsync()).Size);
    }

    [Theory]
    [InlineData(1, (byte)'x')] // the first record's length header
    [InlineData(0, (byte)'9')] // a length that runs past the following records
    public async Task OpenAsync_CorruptRecordBeforeTheTail_RefusedAndNothingCut(int offset, byte value)
    {
        var log = await OpenAsync();
        await log.VerifyAsync(P("git.corp/a"), V("v1.0.0"), H(1, "z"), H(1, "m"), default);
        await log.VerifyAsync(P("git.corp/b"), V("v1.0.0"), H(2, "z"), H(2, "m"), default);
        var file = Directory.GetFiles(Path.Combine(_dir, "storage"), "records.log", SearchOption.AllDirectories).Single();
        var bytes = File.ReadAllBytes(file);
        bytes[offset] = value;
        File.WriteAllBytes(file, bytes);

        var (reopened, error) = await PrivateChecksumLog.OpenAsync(_keyFile, Path.Combine(_dir, "storage"), NullLogger.Instance, default);

        // Cutting it as a torn tail would silently roll the log back: every client would see a SECURITY ERROR.
        Assert.Null(reopened);
        Assert.Contains("corrupt", error);
        Assert.Equal(bytes, File.ReadAllBytes(file));
    }

    [Fact]
    public async Task HandleAsync_GoClientLookups_AcceptedAlsoAfterTreeGrows()
    {
        var log = await OpenAsync();
        for (var i = 0; i < 5; i++)
        {
            await log.VerifyAsync(P($"git.corp/m{i}"), V("v1.0.0"), H(i, "z"), H(i, "m"), default);
        }

        using var host = new LoopbackSumdbHost(log);
        var url = host.BaseUrl + "/sumdb/" + Name;
        var goCache = TestEnvironment.NewTempDir("goclient");
        var go = SumOracle.Instance;
        Assert.Equal($"git.corp/m3 v1.0.0 {H(3, "z")}", go.Ok("lookup", _vkey, url, goCache, "git.corp/m3", "v1.0.0")[0]);

        // Grow past a full tile (H=8: 256) so full, partial and level-1 tiles are all exercised.
        for (var i = 5; i < 300; i++)
        {
            await log.VerifyAsync(P($"git.corp/m{i}"), V("v1.0.0"), H(i, "z"), H(i, "m"), default);
        }

        Assert.Equal($"git.corp/m299 v1.0.0 {H(299, "z")}", go.Ok("lookup", _vkey, url, goCache, "git.corp/m299", "v1.0.0")[0]);
        Assert.Equal($"git.corp/m7 v1.0.0 {H(7, "z")}", go.Ok("lookup", _vkey, url, goCache, "git.corp/m7", "v1.0.0")[0]);

        // And our own client agrees, with its consistency checks.
        using var http = new HttpClient();
        var ops = new HttpFileClientOps(http, new Uri(url), TestEnvironment.NewTempDir("ourclient"), SumdbLimits.Default, false, NullLogger.Instance);
        Assert.True(GoSumdbSetting.TryParse(_vkey, out var setting, out _));
        var client = new SumdbClient(setting!.Verifier, ops, NullLogger.Instance);
        var r = await client.LookupAsync("git.corp/m100", "v1.0.0", default);
        Assert.Equal(LookupOutcome.Found, r.Outcome);
        Assert.Equal(300, client.Latest.N);
    }

    [Fact]
    public async Task HandleAsync_LookupOfUnloggedVersion_FetchesThroughHookAndLogs()
    {
        var log = await OpenAsync();
        var calls = new List<string>();
        log.FetchHook = (p, v, _) =>
        {
            calls.Add(p + "@" + v);
            return Task.FromResult<(string, string)?>(p.Value == "git.corp/exists" ? (H(9, "z"), H(9, "m")) : null);
        };
        using var host = new LoopbackSumdbHost(log);

        var found = SumOracle.Instance.Ok("lookup", _vkey, host.BaseUrl + "/sumdb/" + Name, TestEnvironment.NewTempDir("goclient"), "git.corp/exists", "v1.2.3");
        var missing = await log.HandleAsync(Name, "lookup/git.corp/missing@v1.0.0", default);

        Assert.Equal($"git.corp/exists v1.2.3 {H(9, "z")}", found[0]);
        Assert.Equal(1, log.Size);
        Assert.Equal(404, missing.Status);
        Assert.Equal(["git.corp/exists@v1.2.3", "git.corp/missing@v1.0.0"], calls);
    }

    [Fact]
    public async Task HandleAsync_LookupWhoseFetchFails_502WithReasonNothingLogged()
    {
        var log = await OpenAsync();
        log.FetchHook = (_, _, _) => throw new InvalidOperationException("git ls-remote failed: repository unreachable");

        var r = await log.HandleAsync(Name, "lookup/git.corp/down@v1.0.0", default);

        Assert.Equal(502, r.Status);
        Assert.Contains("repository unreachable", Encoding.UTF8.GetString(r.Body));
        Assert.Equal(0, log.Size);
    }

    [Theory]
    [InlineData("tile/8/0/000", 404)]
    [InlineData("tile/8/0/000.p/2", 404)]
    [InlineData("tile/8/0/000.p/1", 200)]
    [InlineData("tile/8/data/000.p/1", 200)]
    [InlineData("tile/8/1/000.p/1", 404)]
    [InlineData("tile/8/0/../../../../etc/passwd", 400)]
    [InlineData("tile/2/0/000.p/1", 404)]
    // Tile numbers whose first record (N << 8) overflows a long: 2^55+2^23, 2^55, 2^56.
    [InlineData("tile/8/data/x036/x028/x797/x027/x352/576.p/1", 404)]
    [InlineData("tile/8/data/x036/x028/x797/x018/x963/968.p/1", 404)]
    [InlineData("tile/8/data/x072/x057/x594/x037/x927/936.p/1", 404)]
    [InlineData("tile/8/0/x072/x057/x594/x037/x927/936.p/1", 404)]
    [InlineData("tile/8/6/x072/x057/x594/x037/x927/936.p/1", 404)]
    [InlineData("lookup/bad", 400)]
    [InlineData("lookup/git.corp/none@v1.0.0", 404)]
    [InlineData("whatever", 404)]
    public async Task HandleAsync_Paths_StatusNever500(string rest, int status)
    {
        var log = await OpenAsync();
        await log.VerifyAsync(P("git.corp/a"), V("v1.0.0"), H(1, "z"), H(1, "m"), default);

        Assert.Equal(status, (await log.HandleAsync(Name, rest, default)).Status);
    }

    [Fact]
    public async Task OpenAsync_KeyFileWithoutSignerKey_ErrorNamesFile()
    {
        File.WriteAllText(_keyFile, _vkey + "\n");

        var (log, error) = await PrivateChecksumLog.OpenAsync(_keyFile, _dir, NullLogger.Instance, default);

        Assert.Null(log);
        Assert.Contains("signer key", error);
    }
}
