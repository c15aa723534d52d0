using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Moddock.Modules;
using Moddock.Testing;

namespace Moddock.Sumdb.Tests;

public sealed class SumdbSetupTests
{
    private readonly string _dir = TestEnvironment.NewTempDir("setup");

    private static ModuleVersion V(string v) => ModuleVersion.TryParse(v, out var r, out _) ? r : throw new ArgumentException(v);

    private async Task<(SumdbComponents? C, string? Error)> CreateAsync(string gosumdb, string? keyFile = null, Func<string, bool>? noSumdb = null)
    {
        using var http = new HttpClient();
        return await SumdbSetup.CreateAsync(
            new SumdbOptions { GoSumdb = gosumdb, StorageDir = _dir, PrivateSumdbKeyFile = keyFile, NoSumdb = noSumdb ?? (_ => false), Offline = true },
            http, NullLoggerFactory.Instance, default);
    }

    [Fact]
    public async Task CreateAsync_Default_ServesSumGolangOrgSupported()
    {
        var (c, error) = await CreateAsync("sum.golang.org");

        Assert.Null(error);
        Assert.Equal("sum.golang.org", c!.DatabaseName);
        Assert.NotNull(c.PublicVerifier);
        Assert.Equal(200, (await c.Endpoint.HandleAsync("sum.golang.org", "supported", default)).Status);
        Assert.Equal(404, (await c.Endpoint.HandleAsync("other.example", "supported", default)).Status);
    }

    [Fact]
    public async Task CreateAsync_Off_NoPublicVerifierEverythingSkipped()
    {
        var (c, _) = await CreateAsync("off");

        Assert.Null(c!.PublicVerifier);
        Assert.Equal(VerifyOutcome.Skipped, (await c.Verifier.VerifyAsync(ModulePath.Parse("example.com/a"), V("v1.0.0"), "h1:x", "h1:y", default)).Outcome);
        Assert.Equal(404, (await c.Endpoint.HandleAsync("sum.golang.org", "supported", default)).Status);
    }

    [Fact]
    public async Task CreateAsync_NoSumdbPatterns_PublicEndpointRefusesTheirLookups()
    {
        var (c, _) = await CreateAsync("sum.golang.org", noSumdb: p => p.StartsWith("git.corp.example/", StringComparison.Ordinal));

        var r = await c!.Endpoint.HandleAsync("sum.golang.org", "lookup/git.corp.example/secret@v1.0.0", default);

        Assert.Equal(403, r.Status);
        Assert.Contains("git.corp.example/secret@v1.0.0", Encoding.UTF8.GetString(r.Body));
    }

    [Theory]
    [InlineData("sum.golang.org extra fields")]
    [InlineData("garbage+key")]
    public async Task CreateAsync_MalformedSumdb_ErrorNamesOption(string value)
    {
        var (c, error) = await CreateAsync(value);

        Assert.Null(c);
        Assert.StartsWith("--sumdb: ", error);
    }

    [Fact]
    public async Task CreateAsync_PrivateKey_PrivatePathsLoggedInPrivateLogAfterModAndZip()
    {
        var (skey, vkey) = SumdbKeys.Generate("moddock.test/private");
        var keyFile = Path.Combine(_dir, "key");
        File.WriteAllText(keyFile, skey + "\n" + vkey + "\n");

        var (c, error) = await CreateAsync("off", keyFile, p => p.StartsWith("git.corp/", StringComparison.Ordinal));
        Assert.Null(error);
        var path = ModulePath.Parse("git.corp/lib");

        // As the proxy does it: the go.mod first, then the zip.
        var mod = await c!.Verifier.VerifyAsync(path, V("v1.0.0"), null, "h1:mod=", default);
        Assert.Equal(0, c.PrivateLog!.Size);
        var zip = await c.Verifier.VerifyAsync(path, V("v1.0.0"), "h1:zip=", null, default);
        var moved = await c.Verifier.VerifyAsync(path, V("v1.0.0"), "h1:other=", null, default);

        Assert.Equal(VerifyOutcome.Skipped, mod.Outcome);
        Assert.Equal(VerifyOutcome.Verified, zip.Outcome);
        Assert.Equal(1, c.PrivateLog.Size);
        Assert.Equal(VerifyOutcome.Mismatch, moved.Outcome);
        var lookup = await c.Endpoint.HandleAsync("moddock.test/private", "lookup/git.corp/lib@v1.0.0", default);
        Assert.Equal(200, lookup.Status);
        Assert.Contains("git.corp/lib v1.0.0 h1:zip=\ngit.corp/lib v1.0.0/go.mod h1:mod=\n", Encoding.UTF8.GetString(lookup.Body));
    }

    [Theory]
    [InlineData("moddock.test/tile")]
    [InlineData("moddock.test/lookup/x")]
    public async Task CreateAsync_PrivateLogNamedLikeARequestVerb_StillReachable(string name)
    {
        // SumdbRequestPath splits /sumdb/moddock.test/tile/latest at the first "/tile": name "moddock.test".
        var (skey, _) = SumdbKeys.Generate(name);
        var keyFile = Path.Combine(_dir, "key");
        File.WriteAllText(keyFile, skey + "\n");
        var (c, _) = await CreateAsync("off", keyFile);
        Assert.True(SumdbRequestPath.TrySplit(name + "/latest", out var splitName, out var rest));

        var r = await c!.Endpoint.HandleAsync(splitName, rest, default);

        Assert.Equal(200, r.Status);
        Assert.Contains("go.sum database tree", Encoding.UTF8.GetString(r.Body));
    }
}
