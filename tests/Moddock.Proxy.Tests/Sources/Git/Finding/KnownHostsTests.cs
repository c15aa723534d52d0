using Moddock.Proxy.Sources.Git.Finding;

namespace Moddock.Proxy.Tests.Sources.Git.Finding;

public sealed class KnownHostsTests
{
    [Theory]
    [InlineData("github.com/user/repo/sub/pkg", "github.com/user/repo", "https://github.com/user/repo")]
    [InlineData("bitbucket.org/team/repo", "bitbucket.org/team/repo", "https://bitbucket.org/team/repo")]
    [InlineData("git.apache.org/thrift.git/lib/go", "git.apache.org/thrift.git", "https://git.apache.org/thrift.git")]
    // Go's regexp keeps ".git" in the root here too (checked with go1.19 regexp).
    [InlineData("git.openstack.org/openstack/nova.git/x", "git.openstack.org/openstack/nova.git", "https://git.openstack.org/openstack/nova.git")]
    public void Find_HostingSite_RootAndHttpsUrl(string path, string root, string url)
    {
        var m = KnownHosts.Find(path);

        Assert.NotNull(m);
        Assert.Null(m.Error);
        Assert.Equal(root, m.Root);
        Assert.Equal(url, m.Url);
    }

    [Theory]
    [InlineData("git.corp.example/group/repo.git/sub", "git.corp.example/group/repo.git", "git.corp.example/group/repo")]
    [InlineData("127.0.0.1/name.git", "127.0.0.1/name.git", "127.0.0.1/name")]
    // Same submatches as go1.19 regexp: the last VCS suffix wins.
    [InlineData("example.test/a.git/b.git/c", "example.test/a.git/b.git", "example.test/a.git/b")]
    public void Find_VcsQualifiedPath_SchemelessRepoWithoutSuffix(string path, string root, string repo)
    {
        var m = KnownHosts.Find(path);

        Assert.NotNull(m);
        Assert.Equal("git", m.Vcs);
        Assert.Equal(root, m.Root);
        Assert.Equal(repo, m.SchemelessRepo);
        Assert.Null(m.Url);
    }

    [Theory]
    [InlineData("github.com/onlyuser")]
    [InlineData("github.com/user/repo.git")]
    public void Find_BadHostingSitePath_Error(string path)
    {
        Assert.NotNull(KnownHosts.Find(path)?.Error);
    }

    [Fact]
    public void Find_CustomDomain_NullSoDiscoveryRuns()
    {
        Assert.Null(KnownHosts.Find("go.corp.example/lib"));
    }
}
