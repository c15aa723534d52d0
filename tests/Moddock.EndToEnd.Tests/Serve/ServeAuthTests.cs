using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Serve;

/// <summary>
/// `moddock serve` with an `auth:` section: a private pattern needs a token (as Bearer, or as the
/// Basic password the go command sends from ~/.netrc), public modules and health checks stay open.
/// Hashes are made with the real `moddock auth hash`, reading the token from stdin.
/// </summary>
public sealed class ServeAuthTests
{
    private const string Token = "tok-7f3c9a1e-private";

    [Fact]
    public async Task Serve_AuthConfigured_PrivateNeedsTokenPublicStaysOpen()
    {
        var hashRun = ProcessRunner.Run(TestEnvironment.Cli, ["auth", "hash", "--name", "ci"], stdin: Token + "\n", timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(0, hashRun.ExitCode);
        Assert.StartsWith("- name: ci\n  hash: \"pbkdf2-sha256$", hashRun.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, hashRun.StdOut + hashRun.StdErr, StringComparison.Ordinal);

        var config = Path.Combine(TestEnvironment.NewTempDir("serve-auth"), "moddock.yaml");
        File.WriteAllText(config, "auth:\n  realm: moddock-test\n  tokens:\n" + Indent(hashRun.StdOut, "    ") + "  rules:\n    - pattern: example.com/greet\n      allow: [ci]\n");
        await using var upstream = await UpstreamServer.StartAsync(FileLayoutProxy.Write(SampleProject.Modules));
        using var serve = await ServeProcess.StartAsync(upstream.Url, extraArgs: ["--config", config]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var privateList = serve.Url + "/example.com/greet/@v/list";

        // No credentials: 401 with a Basic challenge (so the go command knows to use .netrc) and a reason.
        var none = await http.GetAsync(privateList);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        var challenge = Assert.Single(none.Headers.WwwAuthenticate);
        Assert.Equal("Basic", challenge.Scheme);
        Assert.Contains("moddock-test", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("authentication required for example.com/greet", await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Wrong token, as Bearer and as a .netrc password.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, privateList, new AuthenticationHeaderValue("Bearer", "wrong"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(http, privateList, Basic("gopher", "wrong"))).StatusCode);

        // The right token passes through to the module endpoints, both ways the go command / CI would send it.
        foreach (var auth in new[] { new AuthenticationHeaderValue("Bearer", Token), Basic("gopher", Token) })
        {
            var ok = await SendAsync(http, privateList, auth);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Contains("v1.1.0", await ok.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var mod = await SendAsync(http, serve.Url + "/example.com/greet/@v/v1.1.0.mod", Basic("gopher", Token));
        Assert.Equal(SampleProject.Greet11.GoMod, await mod.Content.ReadAsStringAsync());

        // Checksum lookups of a private module follow the same rule.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(serve.Url + "/sumdb/sum.golang.org/lookup/example.com/greet@v1.1.0")).StatusCode);

        // A private checksum log's tiles list private module paths (the public database is off here).
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(serve.Url + "/sumdb/moddock.internal/private/tile/8/0/000")).StatusCode);

        // Public modules and health checks need nothing.
        var pub = await http.GetAsync(serve.Url + "/example.com/words/@v/list");
        Assert.Equal(HttpStatusCode.OK, pub.StatusCode);
        Assert.Contains("v1.0.0", await pub.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(serve.Url + "/healthz")).StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await http.GetAsync(serve.Url + "/readyz")).StatusCode);

        Assert.DoesNotContain(serve.Output, l => l.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public void Serve_BadAuthConfig_ReportsEveryProblemAndExits2WithoutSecrets()
    {
        var config = Path.Combine(TestEnvironment.NewTempDir("serve-auth-bad"), "moddock.yaml");
        File.WriteAllText(config, """
            auth:
              requier: true
              tokens:
                - name: ci
                  hash: my-plain-token-oops
              rules:
                - pattern: example.com/greet
                  allow: [nobody]
            """);

        var r = ProcessRunner.Run(
            TestEnvironment.Cli,
            ["serve", "--config", config, "--listen", $"127.0.0.1:{FreePort.Next()}", "--sumdb", "off"],
            timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(2, r.ExitCode);
        foreach (var expected in new[] { "auth.requier", "auth.tokens[0].hash", "unknown user or token nobody" })
        {
            Assert.Contains(expected, r.StdErr, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("my-plain-token-oops", r.StdOut + r.StdErr, StringComparison.Ordinal);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string url, AuthenticationHeaderValue auth)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = auth;
        return await http.SendAsync(request);
    }

    private static string Indent(string text, string prefix) =>
        string.Concat(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => prefix + l + "\n"));
}
