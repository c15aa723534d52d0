using Moddock.Proxy;
using Moddock.Server.Configuration;
using Moddock.Testing;

namespace Moddock.Server.Tests.Configuration;

public sealed class ServeOptionsPrefetchTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] vars)
    {
        var d = vars.ToDictionary(v => v.Key, v => v.Value);
        d.TryAdd("HOME", "/home/gopher");
        return k => d.TryGetValue(k, out var v) ? v : null;
    }

    [Fact]
    public void Build_NoSetting_PrefetchesRequirementsInfosAndZips()
    {
        var o = ServeOptionsBuilder.Build(new Dictionary<string, string>(), Env()).Options!;

        Assert.Equal(PrefetchKinds.Requirements | PrefetchKinds.Infos | PrefetchKinds.Zips, o.Prefetch);
    }

    [Theory]
    [InlineData("off", PrefetchKinds.None)]
    [InlineData("OFF", PrefetchKinds.None)]
    [InlineData("mod", PrefetchKinds.Requirements)]
    [InlineData("zip", PrefetchKinds.Zips)]
    [InlineData("zip, mod", PrefetchKinds.Requirements | PrefetchKinds.Zips)]
    [InlineData("mod,zip,mod", PrefetchKinds.Requirements | PrefetchKinds.Zips)]
    [InlineData("info", PrefetchKinds.Infos)]
    [InlineData("mod,info,zip", PrefetchKinds.Requirements | PrefetchKinds.Infos | PrefetchKinds.Zips)]
    public void Build_PrefetchFromEnvironment_Parsed(string value, PrefetchKinds expected)
    {
        var o = ServeOptionsBuilder.Build(new Dictionary<string, string>(), Env(("MODDOCK_PREFETCH", value))).Options!;

        Assert.Equal(expected, o.Prefetch);
    }

    [Fact]
    public void Build_FlagBeatsEnvironmentAndFile()
    {
        var path = Path.Combine(TestEnvironment.NewTempDir("config"), "moddock.yaml");
        File.WriteAllText(path, "prefetch: [mod, zip]\n");

        var fromFile = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["config"] = path }, Env()).Options!;
        var fromFlag = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["config"] = path, ["prefetch"] = "off" }, Env(("MODDOCK_PREFETCH", "zip"))).Options!;

        Assert.Equal(PrefetchKinds.Requirements | PrefetchKinds.Zips, fromFile.Prefetch);
        Assert.Equal(PrefetchKinds.None, fromFlag.Prefetch);
    }

    [Theory]
    [InlineData("infos")]
    [InlineData("off,zip")]
    [InlineData("mod;zip")]
    [InlineData(",")]
    public void Build_BadPrefetch_IsAProblemNamingKeySourceAndValue(string value)
    {
        var result = ServeOptionsBuilder.Build(new Dictionary<string, string>(), Env(("MODDOCK_PREFETCH", value)));

        Assert.Null(result.Options);
        var p = Assert.Single(result.Problems);
        Assert.Equal("prefetch", p.Key);
        Assert.Equal("env MODDOCK_PREFETCH", p.Source);
        Assert.Equal(value, p.Value);
        Assert.Contains("mod, info and zip", p.Message, StringComparison.Ordinal);
    }
}
