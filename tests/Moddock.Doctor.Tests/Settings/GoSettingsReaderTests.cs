using Moddock.Doctor.Settings;
using Moddock.Testing;

namespace Moddock.Doctor.Tests.Settings;

public sealed class GoSettingsReaderTests
{
    [Fact]
    public async Task ReadAsync_NoGo_EnvironmentThenFileThenDefault()
    {
        var dir = TestEnvironment.NewTempDir("goenv");
        var file = Path.Combine(dir, "env");
        await File.WriteAllTextAsync(file, "GOPROXY=https://from-file.example\nGOPRIVATE=git.corp.example\nGOSUMDB=sum.from-file.example\n");
        var env = new Dictionary<string, string?> { ["GOENV"] = file, ["GOSUMDB"] = "off", ["GOPROXY"] = string.Empty };

        var s = await GoSettingsReader.ReadAsync(k => env.GetValueOrDefault(k), goPath: null, TimeSpan.FromSeconds(5), CancellationToken.None);

        // An empty environment variable does not count (cmd/go/internal/cfg.Getenv).
        Assert.Equal(("https://from-file.example", SettingOrigin.GoEnvFile), (s["GOPROXY"], s.Values["GOPROXY"].Origin));
        Assert.Equal(("off", SettingOrigin.Environment), (s["GOSUMDB"], s.Values["GOSUMDB"].Origin));
        Assert.Equal(("git.corp.example", SettingOrigin.Default), (s["GONOPROXY"], s.Values["GONOPROXY"].Origin));
        Assert.Equal(SettingOrigin.Unset, s.Values["GOINSECURE"].Origin);
    }

    [Fact]
    public async Task ReadAsync_NoFileNoEnv_GoDefaults()
    {
        var env = new Dictionary<string, string?> { ["HOME"] = TestEnvironment.NewTempDir("home") };

        var s = await GoSettingsReader.ReadAsync(k => env.GetValueOrDefault(k), goPath: null, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal("https://proxy.golang.org,direct", s["GOPROXY"]);
        Assert.Equal("sum.golang.org", s["GOSUMDB"]);
        Assert.Equal(SettingOrigin.Default, s.Values["GOPROXY"].Origin);
    }

    [Fact]
    public async Task ReadAsync_WithGo_AgreesWithGoEnv()
    {
        var home = TestEnvironment.NewTempDir("home");
        var file = Path.Combine(home, "goenv");
        await File.WriteAllTextAsync(file, "GOPROXY=https://goproxy.corp.example,direct\nGONOSUMDB=git.corp.example\n");
        var env = new Dictionary<string, string?> { ["HOME"] = home, ["GOENV"] = file, ["PATH"] = "/usr/bin:/bin", ["GOPRIVATE"] = "*.corp.example" };
        var withoutGo = await GoSettingsReader.ReadAsync(k => env.GetValueOrDefault(k), goPath: null, TimeSpan.FromSeconds(5), CancellationToken.None);

        var r = ProcessRunner.Run("/usr/bin/go", ["env", "GOPROXY", "GONOSUMDB", "GONOPROXY", "GOSUMDB", "GOPRIVATE"], home,
            new Dictionary<string, string?> { ["HOME"] = home, ["GOENV"] = file, ["GOPRIVATE"] = "*.corp.example", ["GOPROXY"] = null, ["GONOSUMDB"] = null, ["GONOPROXY"] = null, ["GOSUMDB"] = null, ["GOFLAGS"] = null },
            timeout: TimeSpan.FromSeconds(60));
        var fromGo = r.StdOut.Split('\n');

        Assert.Equal(0, r.ExitCode);
        Assert.Equal(fromGo[0], withoutGo["GOPROXY"]);
        Assert.Equal(fromGo[1], withoutGo["GONOSUMDB"]);
        Assert.Equal(fromGo[2], withoutGo["GONOPROXY"]);
        Assert.Equal(fromGo[3], withoutGo["GOSUMDB"]);
        Assert.Equal(fromGo[4], withoutGo["GOPRIVATE"]);
    }

    [Fact]
    public void Read_MalformedFile_ReportsLinesAndKeepsGoodOnes()
    {
        var file = Path.Combine(TestEnvironment.NewTempDir("goenv"), "env");
        File.WriteAllText(file, "GOPROXY=https://ok.example\nnot a setting\nlowercase=1\n\u0000\u0001\nGOSUMDB=off\n");

        var f = GoEnvFile.Read(file);

        Assert.Equal("https://ok.example", f.Values["GOPROXY"]);
        Assert.Equal("off", f.Values["GOSUMDB"]);
        Assert.Equal([2, 3, 4], f.MalformedLines);
    }
}
