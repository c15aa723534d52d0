using System.Net;
using System.Net.Sockets;
using Moddock.Modules;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Sources.Git;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Git;

/// <summary>
/// What git says when a repository is missing or its server is down becomes the right failure: a
/// missing repository is "not found" (404, like proxy.golang.org), a server that cannot be reached is an
/// upstream failure that says so (never "repository not found", which would be cached as a 404).
/// </summary>
public sealed class GitErrorsTests
{
    private static DirectSource NewSource(string storage, string pattern, string url) => new(new DirectSourceOptions
    {
        StorageDirectory = storage,
        RewriteRules = [new GitRewriteRule(pattern, url)],
        Insecure = pattern[..pattern.IndexOf('/', StringComparison.Ordinal)],
        RefreshInterval = TimeSpan.Zero,
        GitTimeout = TimeSpan.FromSeconds(20),
        NetrcPath = "/dev/null",
    });

    [Fact]
    public async Task List_GitDaemonHasNoSuchRepository_NotFound()
    {
        var repos = TestEnvironment.NewTempDir("direct-gitd-missing");
        var exported = new DirectGitRepoBuilder(Path.Combine(repos, "present.git"), 310);
        exported.Write("go.mod", "module gitd.example/present.git\n");
        exported.Commit("one");
        exported.Tag("v1.0.0");
        using var daemon = DirectGitDaemon.Start(repos);
        using var source = NewSource(TestEnvironment.NewTempDir("direct-gitd-missing-vcs"), "gitd.example/*", daemon.Url + "{path}");

        var present = await source.ListAsync(ModulePath.Parse("gitd.example/present.git"), CancellationToken.None);
        var missing = await source.ListAsync(ModulePath.Parse("gitd.example/absent.git"), CancellationToken.None);
        var missingInfo = await source.InfoAsync(ModulePath.Parse("gitd.example/absent.git"), "v1.0.0", CancellationToken.None);

        Assert.Equal(["v1.0.0"], present.Value);
        Assert.Equal(SourceFailureKind.NotFound, missing.Failure?.Kind);
        Assert.Contains("repository not found", missing.Failure!.Reason, StringComparison.Ordinal);
        Assert.Equal(SourceFailureKind.NotFound, missingInfo.Failure?.Kind);
    }

    [Fact]
    public async Task List_GitServerRefusesConnections_UnreachableNotNotFound()
    {
        // A port nobody listens on: bound and closed again, so the connection is refused at once.
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
        }

        using var source = NewSource(TestEnvironment.NewTempDir("direct-refused"), "down.example/*", $"git://127.0.0.1:{port}/{{path}}");

        var list = await source.ListAsync(ModulePath.Parse("down.example/repo.git"), CancellationToken.None);

        Assert.Equal(SourceFailureKind.Other, list.Failure?.Kind);
        Assert.Contains("127.0.0.1", list.Failure!.Reason, StringComparison.Ordinal);
        Assert.Contains("cannot reach the git server", list.Failure.Reason, StringComparison.Ordinal);
        Assert.Contains("Connection refused", list.Failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("not found", list.Failure.Reason, StringComparison.Ordinal);
    }
}
