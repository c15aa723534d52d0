using System.Text.Json;

namespace Moddock.Doctor.Tests.Faults;

/// <summary>
/// The doctor's proof: each fault target is named by the right cause in `--json`, run once with `go` on PATH
/// and once without (two classes, so they also run in parallel).
/// </summary>
public abstract class DoctorCliTests(FaultTargets t, bool withGo)
{
    private static readonly string[] CheckKeys = ["name", "target", "where", "status", "cause", "detail", "fix", "elapsedMs"];

    [Fact]
    public void Doctor_ClosedPort_NamesTcpRefused() =>
        AssertFails(Run(new() { ["GOPROXY"] = $"http://127.0.0.1:{t.ClosedPort}" }), "tcp.refused", "proxy");

    [Fact]
    public void Doctor_ServerNeverAnswers_NamesHttpTimeoutWithinTimeout()
    {
        var r = Run(new() { ["GOPROXY"] = t.Silent.HttpUrl }, timeoutSeconds: 4);
        AssertFails(r, "http.timeout", "proxy");
        Assert.True(r.Took < TimeSpan.FromSeconds(4 + 4), $"took {r.Took}");
    }

    [Fact]
    public void Doctor_TlsServerNeverAnswers_NamesHandshakeTimeout() =>
        AssertFails(Run(new() { ["GOPROXY"] = t.Silent.HttpsUrl }, timeoutSeconds: 6), "tls.handshake_timeout", "proxy");

    [Fact]
    public void Doctor_ServerResets_NamesTcpReset() =>
        AssertFails(Run(new() { ["GOPROXY"] = t.Reset.HttpUrl }), "tcp.reset", "proxy");

    [Fact]
    public void Doctor_TlsValidCertTrustedThroughSslCertFile_ExitsZero()
    {
        var r = Run(new() { ["GOPROXY"] = t.TlsValid.HttpsUrl, ["SSL_CERT_FILE"] = t.Certs.CaFile });
        AssertOk(r);
        Assert.Contains(Checks(r).Where(c => c.GetProperty("name").GetString()!.StartsWith("tls ", StringComparison.Ordinal)), c => c.GetProperty("status").GetString() == "ok");
    }

    [Fact]
    public void Doctor_TlsExpiredCert_NamesTlsExpired() =>
        AssertFails(Run(new() { ["GOPROXY"] = t.TlsExpired.HttpsUrl, ["SSL_CERT_FILE"] = t.Certs.CaFile }), "tls.expired", "proxy");

    [Fact]
    public void Doctor_TlsCertEndedBeforeNow_FixShowsTheCertificateDatesNotNtp()
    {
        var c = AssertFails(Run(new() { ["GOPROXY"] = t.TlsExpired.HttpsUrl, ["SSL_CERT_FILE"] = t.Certs.CaFile }), "tls.expired", "proxy");
        Assert.StartsWith($"openssl s_client -connect 127.0.0.1:{t.TlsExpired.Port} ", c.GetProperty("fix").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_TlsCertForOtherHost_NamesHostnameMismatch() =>
        AssertFails(Run(new() { ["GOPROXY"] = t.TlsOtherHost.HttpsUrl, ["SSL_CERT_FILE"] = t.Certs.CaFile }), "tls.hostname_mismatch", "proxy");

    [Fact]
    public void Doctor_TlsCertFromUntrustedCa_NamesUnknownAuthorityAndIssuer()
    {
        var r = Run(new() { ["GOPROXY"] = t.TlsUntrusted.HttpsUrl, ["SSL_CERT_FILE"] = t.Certs.CaFile });
        var c = AssertFails(r, "tls.unknown_authority", "proxy");
        Assert.Contains("Untrusted Inspecting Proxy CA", c.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_ValidCertWithoutTrustedCa_NamesUnknownAuthority() =>
        AssertFails(Run(new() { ["GOPROXY"] = t.TlsValid.HttpsUrl }), "tls.unknown_authority", "proxy");

    [Fact]
    public void Doctor_PlainHttpOnHttpsUrl_NamesTlsProtocol() =>
        AssertFails(Run(new() { ["GOPROXY"] = t.Healthy.HttpsUrl }), "tls.protocol", "proxy");

    [Fact]
    public void Doctor_HttpProxyAnswers407_NamesProxyAuthRequiredWithoutSecret()
    {
        var r = Run(new() { ["GOPROXY"] = "https://goproxy.corp.example", ["HTTPS_PROXY"] = $"http://alice:s3cretPass@127.0.0.1:{t.ProxyAuth.Port}" });
        AssertFails(r, "proxy.auth_required", "http-proxy");
        Assert.DoesNotContain("s3cretPass", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cretPass", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_HttpProxyAnswers407_FixIsCopyable()
    {
        var r = Run(new() { ["GOPROXY"] = "https://goproxy.corp.example", ["HTTPS_PROXY"] = $"http://127.0.0.1:{t.ProxyAuth.Port}" });
        var c = AssertFails(r, "proxy.auth_required", "http-proxy");
        Assert.Equal($"export HTTPS_PROXY=http://USER:PASSWORD@127.0.0.1:{t.ProxyAuth.Port}", c.GetProperty("fix").GetString());
    }

    [Fact]
    public void Doctor_HttpProxyForbidsDestination_FixBypassesTheDestinationNotTheProxy()
    {
        using var forbidding = new FaultServer(FaultMode.Http, _ => (403, string.Empty));
        var r = Run(new() { ["GOPROXY"] = "https://goproxy.corp.example", ["HTTPS_PROXY"] = forbidding.HttpUrl });
        var c = AssertFails(r, "proxy.forbidden", "http-proxy");
        Assert.Equal("export NO_PROXY=\"$NO_PROXY,goproxy.corp.example\"", c.GetProperty("fix").GetString());
    }

    [Fact]
    public void Doctor_ProxyAnswers403_NetrcFixIsCopyable()
    {
        using var forbidding = new FaultServer(FaultMode.Http, _ => (403, string.Empty));
        var c = AssertFails(Run(new() { ["GOPROXY"] = forbidding.HttpUrl }), "http.forbidden", "proxy");
        Assert.Equal("echo 'machine 127.0.0.1 login USER password TOKEN' >> ~/.netrc", c.GetProperty("fix").GetString());
    }

    [Fact]
    public void Doctor_GoproxyOffFromEnvironment_FixExportsBecauseGoEnvWCannotOverrideIt()
    {
        // `go env -w GOPROXY=...` changes nothing while $GOPROXY is set: the go command reads the environment first.
        var c = AssertFails(Run(new() { ["GOPROXY"] = "off" }), "config.goproxy_off", "local");
        Assert.Equal("export GOPROXY=https://proxy.golang.org,direct", c.GetProperty("fix").GetString());
    }

    [Fact]
    public void Doctor_GoproxyOffFromGoEnvFile_FixUsesGoEnvW()
    {
        var env = Path.Combine(t.Dir, "off-goenv-" + (withGo ? "go" : "nogo"));
        File.WriteAllText(env, "GOPROXY=off\n");
        var c = AssertFails(Run(new() { ["GOENV"] = env, ["GOPROXY"] = null }), "config.goproxy_off", "local");
        Assert.Equal("go env -w GOPROXY=https://proxy.golang.org,direct", c.GetProperty("fix").GetString());
    }

    [Fact]
    public void Doctor_InvalidModulePath_SaysMalformedOnce()
    {
        var r = Run(new() { ["GOPROXY"] = "off" }, args: ["--module", "../x"]);
        var c = AssertFails(r, "config.invalid_module_path", "local");
        Assert.Equal("malformed module path \"../x\": invalid path element \"..\"", c.GetProperty("detail").GetString());
    }

    [Fact]
    public void Doctor_InvalidHostName_NamesNxdomain() =>
        AssertFails(Run(new() { ["GOPROXY"] = "https://goproxy.nonexistent.invalid" }), "dns.nxdomain", "proxy");

    [Fact]
    public void Doctor_ProxyAnswers404_NamesNotFound() =>
        AssertFails(Run(new() { ["GOPROXY"] = t.NotFound.HttpUrl }), "http.not_found", "proxy");

    [Fact]
    public void Doctor_ProxyAnswers500_NamesServerError() =>
        AssertFails(Run(new() { ["GOPROXY"] = t.ServerError.HttpUrl }), "http.server_error", "proxy");

    [Fact]
    public void Doctor_GoproxyOff_NamesGoproxyOff() =>
        AssertFails(Run(new() { ["GOPROXY"] = "off" }), "config.goproxy_off", "local");

    [Fact]
    public void Doctor_MalformedGoproxy_NamesGoproxyInvalid() =>
        AssertFails(Run(new() { ["GOPROXY"] = "ftp://mirror.example/go" }), "config.goproxy_invalid", "local");

    [Fact]
    public void Doctor_HealthyProxy_ExitsZero() =>
        AssertOk(Run(new() { ["GOPROXY"] = t.Healthy.HttpUrl }));

    [Fact]
    public void Doctor_HealthyProxyWithChecksumDb_AsksProxyForSumdbAndExitsZero()
    {
        var r = Run(new() { ["GOPROXY"] = t.Healthy.HttpUrl, ["GOSUMDB"] = "sum.golang.org" });
        AssertOk(r);
        Assert.Contains(Checks(r), c => c.GetProperty("where").GetString() == "sumdb" && c.GetProperty("status").GetString() == "ok");
    }

    [Fact]
    public void Doctor_MalformedGoEnvFile_WarnsAndStillReports()
    {
        var env = Path.Combine(t.Dir, "malformed-goenv-" + (withGo ? "go" : "nogo"));
        File.WriteAllText(env, "GOPROXY=" + t.Healthy.HttpUrl + "\nthis line is garbage\n\u0001\u0002=\n");
        var r = Run(new() { ["GOENV"] = env, ["GOPROXY"] = null });
        AssertOk(r);
        Assert.Contains(Checks(r), c => c.GetProperty("name").GetString() == "go env file" && c.GetProperty("status").GetString() == "warn");
        Assert.Contains(Checks(r), c => c.GetProperty("name").GetString() == "setting GOPROXY" && c.GetProperty("target").GetString() == t.Healthy.HttpUrl);
    }

    // --timeout bounds only the cases that hang (a silent server); the others end as soon as they know.
    [Fact]
    public void Doctor_DirectPrivateModuleWithNetrc_NamesDnsAndNeverPrintsSecrets()
    {
        var r = Run(new() { ["GOPROXY"] = "direct", ["GOPRIVATE"] = "git.corp.invalid", ["GONOPROXY"] = null, ["GONOSUMDB"] = null },
            setup: home => File.WriteAllText(Path.Combine(home, ".netrc"), "machine git.corp.invalid login bob password hunter2-netrc-secret\n"),
            args: ["--module", "git.corp.invalid/team/lib"]);

        AssertFails(r, "dns.nxdomain", "vcs");
        Assert.Contains(Checks(r), c => c.GetProperty("name").GetString() == ".netrc" && c.GetProperty("detail").GetString()!.Contains("git.corp.invalid", StringComparison.Ordinal));
        Assert.Contains(Checks(r), c => c.GetProperty("name").GetString() == "route git.corp.invalid/team/lib" && c.GetProperty("detail").GetString()!.StartsWith("direct", StringComparison.Ordinal));
        Assert.DoesNotContain("hunter2-netrc-secret", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_GarbageGoMod_WarnsAndStillProbes()
    {
        var r = Run(new() { ["GOPROXY"] = t.Healthy.HttpUrl }, setup: home => File.WriteAllBytes(Path.Combine(home, "go.mod"), [0x6d, 0x6f, 0x64, 0x75, 0x6c, 0x65, 0x20, 0x28, 0x00, 0xff, 0xfe, 0x22]));

        AssertOk(r);
        Assert.Contains(Checks(r), c => c.GetProperty("name").GetString() == "go.mod" && c.GetProperty("status").GetString() == "warn");
    }

    [Fact]
    public void Doctor_GoModWithRequireLinesAndBlocks_RoutesEveryRequiredModule()
    {
        const string goMod = "module example.com/app\n\ngo 1.19\n\nrequire example.com/one v1.0.0\n\nrequire (\n\t\"example.com/two\" v1.2 // indirect\n\texample.com/three/v2 v2.0.0\n)\n\nretract v0.1.0 // not a requirement\n";
        var r = Run(new() { ["GOPROXY"] = t.Healthy.HttpUrl }, setup: home => File.WriteAllText(Path.Combine(home, "go.mod"), goMod));

        var routes = Checks(r).Select(c => c.GetProperty("name").GetString()!).Where(n => n.StartsWith("route ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["route example.com/one", "route example.com/two", "route example.com/three/v2"], routes);
    }

    private (int ExitCode, JsonDocument Json, string Stdout, string Stderr, TimeSpan Took) Run(Dictionary<string, string?> vars, int timeoutSeconds = 10, Action<string>? setup = null, string[]? args = null)
    {
        vars.TryAdd("GOSUMDB", "off");
        var r = DoctorCli.Run(withGo, vars, timeoutSeconds, setup, args ?? []);
        var settings = Checks(r).First(c => c.GetProperty("name").GetString() == "settings");
        Assert.Equal(withGo, settings.GetProperty("detail").GetString()!.StartsWith("go env -json", StringComparison.Ordinal) || settings.GetProperty("detail").GetString()!.Contains("go env -json did not finish", StringComparison.Ordinal));
        Assert.True(r.Took < TimeSpan.FromSeconds(timeoutSeconds + 5), $"doctor --timeout {timeoutSeconds} took {r.Took}");
        return r;
    }

    private static List<JsonElement> Checks((int, JsonDocument Json, string, string, TimeSpan) r)
    {
        var root = r.Json.RootElement;
        Assert.Equal(JsonValueKind.Array, root.GetProperty("checks").ValueKind);
        var list = root.GetProperty("checks").EnumerateArray().ToList();
        foreach (var c in list)
        {
            Assert.Equal(CheckKeys, c.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.Contains(c.GetProperty("status").GetString(), new[] { "ok", "warn", "fail" });
            Assert.Equal(JsonValueKind.Number, c.GetProperty("elapsedMs").ValueKind);
        }

        return list;
    }

    private static JsonElement AssertFails((int ExitCode, JsonDocument Json, string Stdout, string Stderr, TimeSpan Took) r, string cause, string where)
    {
        var checks = Checks(r);
        Assert.False(r.Json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(1, r.ExitCode);
        var hit = checks.FirstOrDefault(c => c.GetProperty("status").GetString() == "fail" && c.GetProperty("cause").GetString() == cause);
        Assert.True(hit.ValueKind == JsonValueKind.Object, $"no failing check with cause {cause}; got: " + Summary(checks));
        Assert.Equal(where, hit.GetProperty("where").GetString());
        Assert.False(string.IsNullOrWhiteSpace(hit.GetProperty("fix").GetString()));
        return hit;
    }

    private static string Summary(List<JsonElement> checks) =>
        string.Join("\n", checks.Where(c => c.GetProperty("status").GetString() != "ok" || c.GetProperty("name").GetString()!.StartsWith("settings", StringComparison.Ordinal))
            .Select(c => $"{c.GetProperty("status")} {c.GetProperty("name")} {c.GetProperty("cause")} {c.GetProperty("where")}: {c.GetProperty("detail")} ({c.GetProperty("elapsedMs")} ms)"));

    private static void AssertOk((int ExitCode, JsonDocument Json, string Stdout, string Stderr, TimeSpan Took) r)
    {
        var checks = Checks(r);
        Assert.True(r.Json.RootElement.GetProperty("ok").GetBoolean(), Summary(checks));
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain(checks, c => c.GetProperty("status").GetString() == "fail");
    }
}

public sealed class DoctorCliWithGoTests(FaultTargets t) : DoctorCliTests(t, withGo: true), IClassFixture<FaultTargets>;

public sealed class DoctorCliWithoutGoTests(FaultTargets t) : DoctorCliTests(t, withGo: false), IClassFixture<FaultTargets>;
