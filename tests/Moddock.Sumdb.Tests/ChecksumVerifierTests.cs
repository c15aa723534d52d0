using Moddock.Modules;
using Moddock.Sumdb.Client;
using Moddock.Sumdb.Tests.Support;
using Moddock.Testing;

namespace Moddock.Sumdb.Tests;

public sealed class ChecksumVerifierTests : IDisposable
{
    private readonly SumdbWorld _w = new();

    public void Dispose() => _w.Dispose();

    private (ChecksumVerifier Verifier, ListLogger Log, GoSumdbServer Server) Make(Func<string, bool>? noSumdb = null)
    {
        var server = _w.Start();
        var (client, _, _, log) = _w.Client(server.Url);
        return (new ChecksumVerifier(client, noSumdb ?? (_ => false), log), log, server);
    }

    [Fact]
    public async Task VerifyAsync_MatchingHashes_Verified()
    {
        var (v, _, _) = Make();
        var h = _w.Lines["example.com/m00@v1.0.0"];

        var r = await v.VerifyAsync(ModulePath.Parse("example.com/m00"), V("v1.0.0"), h.Zip, h.Mod, default);

        Assert.Equal(VerifyOutcome.Verified, r.Outcome);
    }

    [Fact]
    public async Task VerifyAsync_TamperedZip_MismatchWithExpectedAndActualLogged()
    {
        var (v, log, _) = Make();
        var h = _w.Lines["example.com/m01@v1.0.0"];
        const string bad = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

        var r = await v.VerifyAsync(ModulePath.Parse("example.com/m01"), V("v1.0.0"), bad, h.Mod, default);

        Assert.Equal(VerifyOutcome.Mismatch, r.Outcome);
        Assert.Equal(h.Zip, r.Expected);
        Assert.Equal(bad, r.Actual);
        Assert.Contains(h.Zip, r.Reason);
        Assert.Contains(bad, r.Reason);
        Assert.Contains(log.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Critical && e.Message.Contains(bad, StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_TamperedGoMod_Mismatch()
    {
        var (v, _, _) = Make();
        var h = _w.Lines["example.com/m02@v1.0.0"];

        var r = await v.VerifyAsync(ModulePath.Parse("example.com/m02"), V("v1.0.0"), null, "h1:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=", default);

        Assert.Equal(VerifyOutcome.Mismatch, r.Outcome);
        Assert.Equal(h.Mod, r.Expected);
    }

    [Fact]
    public async Task VerifyAsync_NoSumdbPattern_SkippedWithoutLookup()
    {
        var (v, _, server) = Make(p => p.StartsWith("example.com/", StringComparison.Ordinal));
        server.Dispose();

        var r = await v.VerifyAsync(ModulePath.Parse("example.com/m00"), V("v1.0.0"), "h1:x", "h1:y", default);

        Assert.Equal(VerifyOutcome.Skipped, r.Outcome);
    }

    [Fact]
    public async Task VerifyAsync_DatabaseDown_Unavailable()
    {
        var (v, _, server) = Make();
        server.Dispose();

        var r = await v.VerifyAsync(ModulePath.Parse("example.com/m00"), V("v1.0.0"), "h1:x", "h1:y", default);

        Assert.Equal(VerifyOutcome.Unavailable, r.Outcome);
    }

    [Fact]
    public async Task VerifyAsync_UnknownModule_NotFoundWithHintForPrivateModules()
    {
        var (v, _, _) = Make();

        var r = await v.VerifyAsync(ModulePath.Parse("example.com/unknown"), V("v1.0.0"), "h1:x", "h1:y", default);

        Assert.Equal(VerifyOutcome.NotFound, r.Outcome);
        Assert.Contains("--private", r.Reason);
    }

    [Fact]
    public async Task PrefetchAsync_OverlappingModZipAndClientLookups_OneDatabaseRequestAllVerified()
    {
        var server = _w.Start();
        var (client, ops, _, log) = _w.Client(server.Url);
        var v = new ChecksumVerifier(client, _ => false, log);
        var h = _w.Lines["example.com/m03@v1.0.0"];
        var path = ModulePath.Parse("example.com/m03");
        ops.RemoteGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The proxy starts the lookup as the download begins; the .mod and .zip checks, and a go client asking
        // through /sumdb/, arrive while that request is still out.
        var prefetch = v.PrefetchAsync(path, V("v1.0.0"), default);
        await Eventually.TrueAsync(() => ops.CountRemote("/lookup/") == 1);
        var mod = v.VerifyAsync(path, V("v1.0.0"), null, h.Mod, default);
        var zip = v.VerifyAsync(path, V("v1.0.0"), h.Zip, null, default);
        var viaEndpoint = client.LookupAsync("example.com/m03", "v1.0.0", default);
        Assert.False(mod.IsCompleted || zip.IsCompleted || viaEndpoint.IsCompleted);
        ops.RemoteGate.SetResult();
        await prefetch;

        Assert.Equal(VerifyOutcome.Verified, (await mod).Outcome);
        Assert.Equal(VerifyOutcome.Verified, (await zip).Outcome);
        Assert.Equal(LookupOutcome.Found, (await viaEndpoint).Outcome);
        Assert.Equal(1, ops.CountRemote("/lookup/"));
    }

    [Fact]
    public async Task PrefetchAsync_ThenTamperedZip_StillMismatch()
    {
        var (v, _, _) = Make();
        var h = _w.Lines["example.com/m04@v1.0.0"];
        var path = ModulePath.Parse("example.com/m04");
        const string bad = "h1:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC=";

        await v.PrefetchAsync(path, V("v1.0.0"), default);
        var r = await v.VerifyAsync(path, V("v1.0.0"), bad, null, default);

        Assert.Equal(VerifyOutcome.Mismatch, r.Outcome);
        Assert.Equal(h.Zip, r.Expected);
    }

    [Fact]
    public async Task PrefetchAsync_DatabaseDown_VerificationStillUnavailable()
    {
        var (v, _, server) = Make();
        server.Dispose();
        var path = ModulePath.Parse("example.com/m05");

        await v.PrefetchAsync(path, V("v1.0.0"), default);
        var r = await v.VerifyAsync(path, V("v1.0.0"), "h1:x", null, default);

        Assert.Equal(VerifyOutcome.Unavailable, r.Outcome);
    }

    private static ModuleVersion V(string v) => ModuleVersion.TryParse(v, out var r, out _) ? r : throw new ArgumentException(v);
}
