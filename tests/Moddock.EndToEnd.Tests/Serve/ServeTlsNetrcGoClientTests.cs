using System.Text.Json;
using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Serve;

/// <summary>
/// `moddock serve --tls-cert --tls-key` with an `auth:` section, and the real go command as the client with
/// GOPROXY=https://127.0.0.1:PORT, trusting a test CA through SSL_CERT_FILE. The go command sends .netrc
/// credentials only over https (cmd/go/internal/web/http.go: `if url.Scheme == "https" { auth.AddCredentials(req) }`),
/// and reads them from $NETRC, else $HOME/.netrc (cmd/go/internal/auth/netrc.go), matching the machine name
/// against the host without the port.
/// </summary>
public sealed class ServeTlsNetrcGoClientTests
{
    private const string Token = "tok-5b1e77d0-tls-netrc";
    private const string WrongPassword = "not-the-token-93c1";

    [Fact]
    public async Task GoModDownload_OverHttpsWithNetrc_PrivateNeedsRightPasswordPublicStaysOpen()
    {
        var dir = TestEnvironment.NewTempDir("e2e-tls-netrc");
        var ca = TlsTestCertificates.CreateCa("moddock e2e test CA");
        var (cert, key) = TlsTestCertificates.WritePem(Path.Combine(dir, "tls"), TlsTestCertificates.CreateServer(ca));
        var caFile = TlsTestCertificates.WriteCaPem(Path.Combine(dir, "tls"), ca);

        var hash = ProcessRunner.Run(TestEnvironment.Cli, ["auth", "hash", "--name", "ci"], stdin: Token + "\n", timeout: TimeSpan.FromSeconds(30));
        Assert.True(hash.ExitCode == 0, hash.StdErr);
        var config = Path.Combine(dir, "moddock.yaml");
        File.WriteAllText(config, "auth:\n  realm: moddock-tls\n  tokens:\n"
            + string.Concat(hash.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "    " + l + "\n"))
            + "  rules:\n    - pattern: example.com/greet\n      allow: [ci]\n");

        await using var upstream = await UpstreamServer.StartAsync(FileLayoutProxy.Write(SampleProject.Modules));
        var keygen = ProcessRunner.Run(TestEnvironment.Cli, ["sumdb", "keygen", "moddock.internal/private"], timeout: TimeSpan.FromSeconds(30));
        Assert.True(keygen.ExitCode == 0, keygen.StdErr);
        var sumdbKey = Path.Combine(dir, "private-sumdb.key");
        File.WriteAllText(sumdbKey, keygen.StdOut);
        using var serve = await TlsServeProcess.StartAsync(
            [
                "--storage", Path.Combine(dir, "storage"), "--upstream", upstream.Url, "--sumdb", "off", "--config", config,
                "--private-sumdb-key", sumdbKey, "--tls-cert", cert, "--tls-key", key,
            ],
            ca);
        Assert.StartsWith("https://127.0.0.1:", serve.Url, StringComparison.Ordinal);

        // /readyz over https says TLS is on and until when, and nothing secret.
        using (var http = TlsTestCertificates.ClientTrusting(ca))
        {
            var readyz = await http.GetStringAsync(serve.Url + "/readyz");
            using var json = JsonDocument.Parse(readyz);
            Assert.True(json.RootElement.GetProperty("tls").GetProperty("enabled").GetBoolean());
            Assert.Equal("CN=moddock-test", json.RootElement.GetProperty("tls").GetProperty("subject").GetString());
            Assert.DoesNotContain(Token, readyz, StringComparison.Ordinal);
        }

        // 1. The right password in $HOME/.netrc: the private module and its public dependency download.
        var right = Go(dir, "right", serve.Url, caFile, homeNetrc: $"machine 127.0.0.1 login ci password {Token}\n", netrcEnv: null,
            ["example.com/greet@v1.1.0", "example.com/words@v1.0.0"]);
        Assert.True(right.ExitCode == 0, right.StdOut + right.StdErr);
        Assert.Contains("\"Path\": \"example.com/greet\"", right.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Error\"", right.StdOut, StringComparison.Ordinal);

        // 2. A wrong password, from $NETRC (which go 1.19 reads before ~/.netrc): refused, and go prints Moddock's reason.
        var wrong = Go(dir, "wrong", serve.Url, caFile, homeNetrc: null, netrcEnv: $"machine 127.0.0.1 login ci password {WrongPassword}\n",
            ["example.com/greet@v1.1.0"]);
        Assert.NotEqual(0, wrong.ExitCode);
        var wrongSaid = wrong.StdOut + wrong.StdErr;
        Assert.Contains("401 Unauthorized", wrongSaid, StringComparison.Ordinal);
        Assert.Contains("authentication required for example.com/greet", wrongSaid, StringComparison.Ordinal);
        Assert.DoesNotContain(WrongPassword, wrongSaid, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, wrongSaid, StringComparison.Ordinal);

        // 3. No .netrc at all: refused the same way.
        var none = Go(dir, "none", serve.Url, caFile, homeNetrc: null, netrcEnv: null, ["example.com/greet@v1.1.0"]);
        Assert.NotEqual(0, none.ExitCode);
        Assert.Contains("401 Unauthorized", none.StdOut + none.StdErr, StringComparison.Ordinal);

        // 4. Public modules need no credentials, over the same https listener.
        var open = Go(dir, "public", serve.Url, caFile, homeNetrc: null, netrcEnv: null, ["example.com/words@v1.0.0", "example.com/Upper/v2@v2.0.0"]);
        Assert.True(open.ExitCode == 0, open.StdOut + open.StdErr);

        // 5. The private checksum log as GOSUMDB (the README's set-up 1) over https: the go command sends the
        // .netrc credentials to the GOSUMDB URL too, which the log's tiles need while any rule asks for credentials.
        var gosumdb = keygen.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Trim() + " " + serve.Url + "/sumdb/moddock.internal/private";
        var logged = Go(dir, "sumdb", serve.Url, caFile, homeNetrc: $"machine 127.0.0.1 login ci password {Token}\n", netrcEnv: null,
            ["example.com/greet@v1.1.0", "example.com/words@v1.0.0"], gosumdb);
        Assert.True(logged.ExitCode == 0, logged.StdOut + logged.StdErr);
        var noCredentials = Go(dir, "sumdb-none", serve.Url, caFile, homeNetrc: null, netrcEnv: null, ["example.com/words@v1.0.0"], gosumdb);
        Assert.NotEqual(0, noCredentials.ExitCode);
        Assert.Contains("401 Unauthorized", noCredentials.StdOut + noCredentials.StdErr, StringComparison.Ordinal);

        // The .netrc password is only ever sent, never logged.
        Assert.DoesNotContain(serve.Output, l => l.Contains(Token, StringComparison.Ordinal) || l.Contains(WrongPassword, StringComparison.Ordinal));
    }

    [Fact]
    public void Serve_ExpiredCertificateAndKeyFromEnvMissing_Exits2WithEveryProblem()
    {
        var dir = TestEnvironment.NewTempDir("e2e-tls-bad");
        var ca = TlsTestCertificates.CreateCa("moddock e2e bad CA");
        var expired = TlsTestCertificates.CreateServer(ca, notBefore: DateTimeOffset.UtcNow.AddDays(-60), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        var (cert, key) = TlsTestCertificates.WritePem(dir, expired);
        var missingKey = Path.Combine(dir, "gone.key");

        var r = ProcessRunner.Run(
            TestEnvironment.Cli,
            ["serve", "--listen", $"127.0.0.1:{FreePort.Next()}", "--sumdb", "off", "--tls-cert", cert],
            env: new Dictionary<string, string?> { ["MODDOCK_TLS_KEY"] = missingKey },
            timeout: TimeSpan.FromSeconds(30));
        var withKey = ProcessRunner.Run(
            TestEnvironment.Cli,
            ["serve", "--listen", $"127.0.0.1:{FreePort.Next()}", "--sumdb", "off", "--tls-cert", cert, "--tls-key", key],
            timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"tls-key (env MODDOCK_TLS_KEY) = \"{missingKey}\": no such file", r.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, withKey.ExitCode);
        Assert.Contains($"tls-cert (flag --tls-cert) = \"{cert}\": the certificate (subject CN=moddock-test) expired on", withKey.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", r.StdErr + withKey.StdErr, StringComparison.Ordinal);
    }

    private static ProcessResult Go(string dir, string name, string goproxy, string caFile, string? homeNetrc, string? netrcEnv, string[] modules, string gosumdb = "off")
    {
        var root = Path.Combine(dir, "go-" + name);
        var work = Path.Combine(root, "work");
        Directory.CreateDirectory(work);
        var env = GoCommandEnvironment.Isolated(root, goproxy, gosumdb);
        env["SSL_CERT_FILE"] = caFile;
        env["SSL_CERT_DIR"] = Path.Combine(root, "no-system-roots");
        env["NETRC"] = null;
        var home = env["HOME"]!;
        Directory.CreateDirectory(home);
        if (homeNetrc is not null)
        {
            File.WriteAllText(Path.Combine(home, ".netrc"), homeNetrc);
        }

        if (netrcEnv is not null)
        {
            var path = Path.Combine(root, "netrc");
            File.WriteAllText(path, netrcEnv);
            env["NETRC"] = path;
        }

        return ProcessRunner.Run("go", ["mod", "download", "-json", .. modules], work, env, timeout: TimeSpan.FromSeconds(60));
    }
}
