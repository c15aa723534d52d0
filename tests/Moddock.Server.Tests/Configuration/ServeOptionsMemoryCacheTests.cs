using Moddock.Server.Configuration;
using Moddock.Testing;

namespace Moddock.Server.Tests.Configuration;

public sealed class ServeOptionsMemoryCacheTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] vars)
    {
        var d = vars.ToDictionary(v => v.Key, v => v.Value);
        d.TryAdd("HOME", "/home/gopher");
        return k => d.TryGetValue(k, out var v) ? v : null;
    }

    [Fact]
    public void Build_NoSetting_Is64MiB()
    {
        var o = ServeOptionsBuilder.Build(new Dictionary<string, string>(), Env()).Options!;

        Assert.Equal(64L << 20, o.MemoryCacheBytes);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1048576", 1L << 20)]
    [InlineData("512KiB", 512L << 10)]
    [InlineData("16MiB", 16L << 20)]
    [InlineData("256 MiB", 256L << 20)]
    [InlineData("2GiB", 2L << 30)]
    [InlineData("8m", 8L << 20)]
    [InlineData("100B", 100L)]
    public void Build_MemoryCacheFromEnvironment_ParsesSize(string value, long expected)
    {
        var o = ServeOptionsBuilder.Build(new Dictionary<string, string>(), Env(("MODDOCK_MEMORY_CACHE", value))).Options!;

        Assert.Equal(expected, o.MemoryCacheBytes);
    }

    [Fact]
    public void Build_MemoryCacheInConfigFile_IsRead()
    {
        var path = Path.Combine(TestEnvironment.NewTempDir("config"), "moddock.yaml");
        File.WriteAllText(path, "memory-cache: 8MiB\n");

        var o = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["config"] = path }, Env()).Options!;

        Assert.Equal(8L << 20, o.MemoryCacheBytes);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("lots")]
    [InlineData("64MB")]
    [InlineData("1.5MiB")]
    [InlineData("2TiB")]
    [InlineData("9999999GiB")]
    public void Build_BadMemoryCache_IsAProblemNamingKeySourceAndValue(string value)
    {
        var result = ServeOptionsBuilder.Build(new Dictionary<string, string>(), Env(("MODDOCK_MEMORY_CACHE", value)));

        Assert.Null(result.Options);
        var p = Assert.Single(result.Problems);
        Assert.Equal("memory-cache", p.Key);
        Assert.Equal("env MODDOCK_MEMORY_CACHE", p.Source);
        Assert.Equal(value, p.Value);
        Assert.Contains("64MiB", p.Message, StringComparison.Ordinal);
    }
}
