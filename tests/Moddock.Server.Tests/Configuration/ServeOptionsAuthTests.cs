using Moddock.Server.Auth;
using Moddock.Server.Configuration;
using Moddock.Testing;

namespace Moddock.Server.Tests.Configuration;

/// <summary>The `auth:` section of the serve YAML: parsed into ClientAuthOptions, every problem named by key, secrets never echoed.</summary>
public sealed class ServeOptionsAuthTests
{
    private static readonly Dictionary<string, string> NoFlags = [];

    private static string? Env(string key) => key == "HOME" ? "/home/gopher" : null;

    private static Dictionary<string, string> Config(string yaml)
    {
        var path = Path.Combine(TestEnvironment.NewTempDir("auth-config"), "moddock.yaml");
        File.WriteAllText(path, yaml);
        return new Dictionary<string, string> { [ServeOptionsBuilder.ConfigKey] = path };
    }

    [Fact]
    public void Build_NoAuthSection_LeavesAuthOff()
    {
        var result = ServeOptionsBuilder.Build(Config("listen: 127.0.0.1:4000\n"), Env);

        Assert.Null(Assert.IsType<ServeOptions>(result.Options).Auth);
    }

    [Fact]
    public void Build_AuthSection_ParsesRealmUsersTokensAndRules()
    {
        var alice = ClientSecretHash.Create("alice-pw", iterations: 1000);
        var ci = ClientSecretHash.Create("ci-token", iterations: 1000);
        var flags = Config($"""
            listen: 127.0.0.1:4000
            auth:
              realm: corp modules
              require: false
              users:
                - name: alice
                  hash: "{alice}"
              tokens:
                - name: ci
                  hash: {ci}
              rules:
                - pattern: git.corp.example/*
                  allow: [ci, alice]
                - pattern: git.corp.example/public/*,example.com
                  require: false
            """);

        var result = ServeOptionsBuilder.Build(flags, Env);

        Assert.Empty(result.Problems);
        var auth = Assert.IsType<ClientAuthOptions>(result.Options!.Auth);
        Assert.Equal("corp modules", auth.Realm);
        Assert.False(auth.RequireByDefault);
        Assert.Equal([new ClientCredential("alice", alice)], auth.Users);
        Assert.Equal([new ClientCredential("ci", ci)], auth.Tokens);
        Assert.Equal(2, auth.Rules.Count);
        Assert.Equal("git.corp.example/*", auth.Rules[0].Pattern);
        Assert.True(auth.Rules[0].RequireAuthentication);
        Assert.Equal(["ci", "alice"], auth.Rules[0].Allow!);
        Assert.Equal("git.corp.example/public/*,example.com", auth.Rules[1].Pattern);
        Assert.False(auth.Rules[1].RequireAuthentication);
        Assert.True(ClientSecretHash.Verify("ci-token", auth.Tokens[0].SecretHash));
        Assert.Equal(["sum.golang.org"], auth.PublicSumdbNames);
    }

    [Fact]
    public void Build_AuthSectionProblems_ReportsEveryOneByKeyWithoutTheSecret()
    {
        var ok = ClientSecretHash.Create("fine", iterations: 1000);
        var flags = Config($"""
            list-ttl: forever
            auth:
              realm: 'bad"realm'
              require: maybe
              tokns: []
              users:
                - name: bob
                  hash: plain-secret-pasted-by-mistake
                - hash: "{ok}"
              tokens:
                - name: ci
                  hash: "{ok}"
                  scope: all
              rules:
                - pattern: git.corp.example/*
                  allow: [ci, mallory]
                - require: true
            """);

        var result = ServeOptionsBuilder.Build(flags, Env);

        Assert.False(result.IsValid);
        var text = string.Join('\n', result.Problems);
        foreach (var expected in new[]
        {
            "list-ttl", "auth.realm", "bad\"realm", "auth.require", "\"maybe\"", "auth.tokns", "unknown key",
            "auth.users[0].hash", "moddock auth hash", "auth.users[1].name", "auth.tokens[0].scope",
            "unknown user or token mallory", "auth.rules[1].pattern",
        })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("plain-secret-pasted-by-mistake", text, StringComparison.Ordinal);
        Assert.DoesNotContain(ok, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_AuthRequiredWithoutCredentials_IsAProblem()
    {
        var result = ServeOptionsBuilder.Build(Config("auth:\n  require: true\n"), Env);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("auth", problem.Key);
        Assert.Contains("no users or tokens", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UnknownTopLevelKey_ListsAuthAmongKnownKeys()
    {
        var result = ServeOptionsBuilder.Build(Config("authentication:\n  require: true\n"), Env);

        var problem = Assert.Single(result.Problems);
        Assert.Equal("authentication", problem.Key);
        Assert.Contains("auth", problem.Message.Split("known keys:")[1], StringComparison.Ordinal);
    }
}
