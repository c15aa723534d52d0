using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Moddock.Server.Auth;

namespace Moddock.Server.Tests.Auth;

public sealed class ClientAuthMiddlewareTests
{
    private const string CiToken = "ci-token-9f8e7d6c";
    private const string LaptopToken = "laptop-token-1a2b3c";
    private const string AlicePassword = "alice-password-xyz";

    // Low iteration counts keep the tests fast; production hashes use ClientSecretHash's default.
    private static readonly ClientAuthOptions Options = new()
    {
        Users = [new ClientCredential("alice", ClientSecretHash.Create(AlicePassword, 1000))],
        Tokens = [new ClientCredential("ci", ClientSecretHash.Create(CiToken, 1000)), new ClientCredential("laptop", ClientSecretHash.Create(LaptopToken, 1000))],
        Rules =
        [
            new ClientAccessRule("git.corp.example/secret", Allow: ["ci"]),
            new ClientAccessRule("git.corp.example/*"),
            new ClientAccessRule("github.com", RequireAuthentication: false),
        ],
    };

    private static async Task<(int Status, bool Passed, string Body, HttpContext Context)> SendAsync(string path, string? authorization = null, ClientAuthOptions? options = null)
    {
        options ??= Options;
        var passed = false;
        var middleware = new ClientAuthMiddleware(
            _ => { passed = true; return Task.CompletedTask; },
            options,
            new ClientAuthenticator(options, TimeProvider.System),
            NullLogger<ClientAuthMiddleware>.Instance);
        var ctx = new DefaultHttpContext();
        ctx.Request.Path = path;
        ctx.Response.Body = new MemoryStream();
        if (authorization is not null)
        {
            ctx.Request.Headers.Authorization = authorization;
        }

        await middleware.InvokeAsync(ctx);
        return (ctx.Response.StatusCode, passed, Encoding.UTF8.GetString(((MemoryStream)ctx.Response.Body).ToArray()), ctx);
    }

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    [Fact]
    public async Task Invoke_AddressPastItsFailedCredentials_429WithRetryAfterAndNoChallenge()
    {
        var middleware = new ClientAuthMiddleware(
            _ => Task.CompletedTask, Options, new ClientAuthenticator(Options, TimeProvider.System), NullLogger<ClientAuthMiddleware>.Instance);
        HttpContext Request(string token)
        {
            var ctx = new DefaultHttpContext();
            ctx.Request.Path = "/git.corp.example/team/lib/@v/list";
            ctx.Request.Headers.Authorization = "Bearer " + token;
            ctx.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.9");
            ctx.Response.Body = new MemoryStream();
            return ctx;
        }

        for (var i = 0; i < FailedAuthThrottle.DefaultMaxFailures; i++)
        {
            var wrong = Request("guess-" + i);
            await middleware.InvokeAsync(wrong);
            Assert.Equal(401, wrong.Response.StatusCode);
        }

        var throttled = Request("guess-again");
        await middleware.InvokeAsync(throttled);

        Assert.Equal(429, throttled.Response.StatusCode);
        Assert.True(int.Parse(throttled.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Empty(throttled.Response.Headers.WWWAuthenticate.ToString());
        Assert.Contains("too many failed authentication attempts from 203.0.113.9", Encoding.UTF8.GetString(((MemoryStream)throttled.Response.Body).ToArray()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/github.com/pkg/errors/@v/list")]
    [InlineData("/golang.org/x/mod/@latest")]
    [InlineData("/healthz")]
    public async Task Invoke_PublicOrOpenPath_PassesWithoutCredentials(string path)
    {
        var r = await SendAsync(path);

        Assert.True(r.Passed);
    }

    [Theory]
    [InlineData("/git.corp.example/team/lib/@v/v1.0.0.zip")]
    [InlineData("/git.corp.example/team/@latest")]
    [InlineData("/sumdb/sum.golang.org/lookup/git.corp.example/team/lib@v1.0.0")]
    public async Task Invoke_PrivatePathWithoutCredentials_401WithBasicChallenge(string path)
    {
        var r = await SendAsync(path);

        Assert.False(r.Passed);
        Assert.Equal(401, r.Status);
        Assert.Equal("Basic realm=\"moddock\"", r.Context.Response.Headers.WWWAuthenticate.ToString());
        Assert.Contains("authentication required for git.corp.example/team", r.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_BearerToken_PassesWithPrincipal()
    {
        var r = await SendAsync("/git.corp.example/team/lib/@v/list", "Bearer " + LaptopToken);

        Assert.True(r.Passed);
        Assert.Equal("laptop", r.Context.Items["moddock.principal"]);
    }

    [Fact]
    public async Task Invoke_TokenAsNetrcPassword_Passes()
    {
        var r = await SendAsync("/git.corp.example/team/lib/@v/list", Basic("whoever", CiToken));

        Assert.True(r.Passed);
        Assert.Equal("ci", r.Context.Items["moddock.principal"]);
    }

    [Fact]
    public async Task Invoke_BasicUserPassword_Passes()
    {
        var r = await SendAsync("/git.corp.example/team/lib/@v/list", Basic("alice", AlicePassword));

        Assert.True(r.Passed);
        Assert.Equal("alice", r.Context.Items["moddock.principal"]);
    }

    [Theory]
    [InlineData("Bearer not-a-token")]
    [InlineData("Basic !!!notbase64")]
    [InlineData("Digest abc")]
    public async Task Invoke_WrongCredentials_401(string authorization)
    {
        var r = await SendAsync("/git.corp.example/team/lib/@v/list", authorization);

        Assert.False(r.Passed);
        Assert.Equal(401, r.Status);
    }

    [Fact]
    public async Task Invoke_WrongPasswordForUser_401()
    {
        var r = await SendAsync("/git.corp.example/team/lib/@v/list", Basic("alice", "nope"));

        Assert.Equal(401, r.Status);
    }

    [Fact]
    public async Task Invoke_PrincipalNotInAllowList_403()
    {
        var denied = await SendAsync("/git.corp.example/secret/@v/list", "Bearer " + LaptopToken);
        var allowed = await SendAsync("/git.corp.example/secret/@v/list", "Bearer " + CiToken);

        Assert.Equal(403, denied.Status);
        Assert.False(denied.Passed);
        Assert.True(allowed.Passed);
    }

    [Fact]
    public async Task Invoke_RequireByDefault_UnmatchedPathNeedsCredentials()
    {
        var strict = new ClientAuthOptions { RequireByDefault = true, Tokens = Options.Tokens, Rules = [new ClientAccessRule("github.com", false)] };

        Assert.Equal(401, (await SendAsync("/example.com/x/@v/list", options: strict)).Status);
        Assert.True((await SendAsync("/github.com/a/b/@v/list", options: strict)).Passed);
        Assert.True((await SendAsync("/example.com/x/@v/list", "Bearer " + CiToken, strict)).Passed);
    }

    [Theory]
    [InlineData("/git.corp.example/!team/lib/@v/list", "git.corp.example/Team/lib")]
    [InlineData("/git.corp.example/team/lib/@v/v1.0.0-!r!c1.info", "git.corp.example/team/lib")]
    [InlineData("/m.example/x/@latest", "m.example/x")]
    [InlineData("/sumdb/sum.golang.org/lookup/m.example/x@v1.0.0", "m.example/x")]
    [InlineData("/sumdb/sum.golang.org/tile/8/0/001", null)]
    [InlineData("/", null)]
    public void ModulePathOf_ProxyAndSumdbUrls_UnescapedModulePath(string requestPath, string? expected)
    {
        Assert.Equal(expected, ClientAuthMiddleware.ModulePathOf(requestPath));
    }

    [Theory]
    [InlineData("/sumdb/sum.golang.org/tile/8/0/001", true)]
    [InlineData("/sumdb/sum.golang.org/supported", true)]
    [InlineData("/sumdb/moddock.internal/private/tile/8/0/001", false)]
    [InlineData("/sumdb/moddock.internal/private/latest", false)]
    public async Task Invoke_SumdbPathNamingNoModule_OpenOnlyForThePublicDatabase(string path, bool open)
    {
        var options = new ClientAuthOptions { Tokens = Options.Tokens, Rules = Options.Rules, PublicSumdbNames = ["sum.golang.org"] };

        var anonymous = await SendAsync(path, options: options);
        var withToken = await SendAsync(path, "Bearer " + CiToken, options);

        Assert.Equal(open, anonymous.Passed);
        Assert.Equal(open ? 200 : 401, anonymous.Status);
        Assert.True(withToken.Passed);
    }
}
