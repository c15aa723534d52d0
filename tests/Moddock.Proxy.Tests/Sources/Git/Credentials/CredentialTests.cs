using Moddock.Proxy.Sources.Git.Credentials;

namespace Moddock.Proxy.Tests.Sources.Git.Credentials;

public sealed class CredentialTests
{
    [Fact]
    public void NetrcParse_MachinesAndDefault_EntriesUpToDefault()
    {
        var creds = NetrcFile.Parse("""
            machine git.corp.example login alice password p4ss-alice
            machine other.example
              login bob
              password p4ss-bob
            default login anon password anon-pass
            machine after.example login x password y
            """);

        Assert.Equal([new GitCredential("git.corp.example", "p4ss-alice", "alice"), new GitCredential("other.example", "p4ss-bob", "bob")], creds);
    }

    [Fact]
    public void For_ExplicitThenEnvironmentThenNetrc_FirstWins()
    {
        var env = new Dictionary<string, string> { [CredentialSet.EnvironmentName("env.example")] = "robot:env-token-1" };
        var set = new CredentialSet(
            [new GitCredential("git.corp.example", "explicit-token")],
            [new GitCredential("git.corp.example", "netrc-token"), new GitCredential("netrc.example", "netrc-only")],
            k => env.GetValueOrDefault(k));

        Assert.Equal("explicit-token", set.For("git.corp.example")!.Password);
        Assert.Equal(new GitCredential("env.example", "env-token-1", "robot"), set.For("env.example"));
        Assert.Equal("netrc-only", set.For("NETRC.example")!.Password);
        Assert.Null(set.For("none.example"));
        Assert.Equal("MODDOCK_GIT_TOKEN_GIT_CORP_EXAMPLE", CredentialSet.EnvironmentName("git.corp-example"));
    }

    [Fact]
    public void GitConfigFor_HttpsRemote_ExtraHeaderScopedToHost_NothingForSsh()
    {
        var set = new CredentialSet([new GitCredential("git.corp.example", "tok-123456")], [], _ => null);

        var https = set.GitConfigFor(new Uri("https://git.corp.example/team/repo.git"));
        var ssh = set.GitConfigFor(new Uri("ssh://git@git.corp.example/team/repo.git"));

        var entry = Assert.Single(https);
        Assert.Equal("http.https://git.corp.example/.extraHeader", entry.Key);
        Assert.Equal("Authorization: Basic " + Convert.ToBase64String("oauth2:tok-123456"u8.ToArray()), entry.Value);
        Assert.Empty(ssh);
    }

    [Fact]
    public void Redact_SecretsUserinfoAndHeaders_Removed()
    {
        var set = new CredentialSet([new GitCredential("h.example", "tok-abcdef")], [], _ => null);
        var basic = CredentialSet.BasicValue(new GitCredential("h.example", "tok-abcdef"));

        var text = set.Redactor.Redact($"fatal: https://u:pw@h.example/x failed; tok-abcdef; {basic}; Authorization: Bearer zzz");

        Assert.DoesNotContain("tok-abcdef", text, StringComparison.Ordinal);
        Assert.DoesNotContain(basic, text, StringComparison.Ordinal);
        Assert.DoesNotContain("u:pw", text, StringComparison.Ordinal);
        Assert.DoesNotContain("zzz", text, StringComparison.Ordinal);
        Assert.Contains("h.example", text, StringComparison.Ordinal);
        Assert.Equal("oauth2:***@h.example", new GitCredential("h.example", "tok-abcdef").ToString());
    }
}
