using System.Text.Json;
using Moddock.Testing;

namespace Moddock.Modules.Tests;

/// <summary>
/// GOPROXY values that Moddock rejects are exactly those the real go command rejects, with the same message.
/// The go command reports a bad GOPROXY as the download error of any module; accepted values here point only
/// at places that fail locally (a missing file:// tree, a closed loopback port, off), so nothing leaves the machine.
/// </summary>
public sealed class GoProxyListGoCommandTests
{
    private static readonly string[] Values =
    [
        ",", " | ", "noproxy", "/srv/goproxy", "ftp://127.0.0.1/x", "file://host/x", "file:/tmp/x", "file:///tmp/x?y", "file:///x?",
        "file:///tmp/x#frag", "https://a b", ":foo", "http://[::1", "https://x/%zz", "https://x:port", "file:rel", "1a:/x",
        "https://a%41b/", "https://h/p%2", "https://x#%zz", "http://127.0.0.1:1/p%20q", "https://user@h\\x/",
        "off", " off ,https://ignored", "file:///nonexistent", "file://", "http://127.0.0.1:1", "127.0.0.1:1|file:///nonexistent",
        "http://127.0.0.1:1,file:///nonexistent", "file:///nonexistent#",
    ];

    [Fact]
    public void TryParse_GoProxyValues_RejectsExactlyWhatTheGoCommandRejects()
    {
        var results = new (string Value, string GoError)[Values.Length];
        Parallel.For(0, Values.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => results[i] = (Values[i], GoDownloadError(Values[i])));

        foreach (var (value, goError) in results)
        {
            var ok = GoProxyList.TryParse(value, out _, out var error);
            var parseFailure = !(goError.StartsWith("module lookup disabled", StringComparison.Ordinal)
                || goError.StartsWith("reading file://", StringComparison.Ordinal)
                || goError.StartsWith("Get \"", StringComparison.Ordinal)
                || goError.Contains("connection refused", StringComparison.Ordinal));
            Assert.True(ok != parseFailure, $"GOPROXY={value}: go said \"{goError}\", Moddock said {(ok ? "ok" : error!.Message)}");
            if (!ok)
            {
                Assert.Equal(goError, error!.Message);
            }
        }
    }

    private static string GoDownloadError(string goproxy)
    {
        var dir = TestEnvironment.NewTempDir("goproxy");
        try
        {
            var env = new Dictionary<string, string?>
            {
                ["HOME"] = dir, ["GOPATH"] = Path.Combine(dir, "gopath"), ["GOCACHE"] = Path.Combine(dir, "gocache"),
                ["GOMODCACHE"] = Path.Combine(dir, "gopath", "pkg", "mod"), ["GOFLAGS"] = "-modcacherw", ["GO111MODULE"] = "on",
                ["GOSUMDB"] = "off", ["GONOPROXY"] = "", ["GOPRIVATE"] = "", ["GONOSUMDB"] = "", ["GOINSECURE"] = "",
                ["GOPROXY"] = goproxy, ["HTTP_PROXY"] = null, ["HTTPS_PROXY"] = null, ["GOENV"] = "off",
            };
            var r = ProcessRunner.Run("go", ["mod", "download", "-json", "example.com/m@v1.0.0"], dir, env, timeout: TimeSpan.FromSeconds(60));
            using var json = JsonDocument.Parse(r.StdOut);
            var message = json.RootElement.GetProperty("Error").GetString()!;
            const string prefix = "example.com/m@v1.0.0: ";
            Assert.StartsWith(prefix, message, StringComparison.Ordinal);
            return message[prefix.Length..];
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
