using System.Net;
using System.Security.Cryptography;
using Moddock.Modules;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Sources.Git;
using Moddock.Proxy.Sources.Git.Credentials;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Git;

/// <summary>Bad input and hostile repositories: direct mode fails as a value, quickly, without leaking.</summary>
public sealed class DirectSourceFailureTests
{
    private static DirectSource NewSource(string storage, Action<DirectSourceOptionsBuilder>? configure = null)
    {
        var b = new DirectSourceOptionsBuilder { Storage = storage };
        configure?.Invoke(b);
        return new DirectSource(b.Build());
    }

    [Fact]
    public async Task Info_PathWithNoRepository_NotFoundAndNothingCloned()
    {
        _ = DirectExampleHost.Root;
        var storage = TestEnvironment.NewTempDir("direct-none");
        using var source = NewSource(storage);

        var dotGit = await source.InfoAsync(ModulePath.Parse("example.test/does-not-exist.git"), "v1.0.0", CancellationToken.None);
        var unknownHost = await source.InfoAsync(ModulePath.Parse("nosuchhost.invalid/team/repo"), "v1.0.0", CancellationToken.None);
        var github = await source.ListAsync(ModulePath.Parse("github.com/onlyowner"), CancellationToken.None);

        Assert.Equal(SourceFailureKind.NotFound, dotGit.Failure?.Kind);
        Assert.Equal(SourceFailureKind.NotFound, unknownHost.Failure?.Kind);
        Assert.Equal(SourceFailureKind.NotFound, github.Failure?.Kind);
        Assert.Contains("invalid github.com import path", github.Failure!.Reason, StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(storage) ? Directory.GetDirectories(storage) : []);
    }

    [Fact]
    public async Task Info_ServerRefusesCredentials_AuthRequiredNamesHostWithoutSecret()
    {
        const string token = "s3cr3t-token-value-123";
        var port = FreePort.Next();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var sawAuthorization = new List<string?>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var server = Task.Run(async () =>
        {
            while (!cts.IsCancellationRequested)
            {
                HttpListenerContext ctx;
                try
                {
                    ctx = await listener.GetContextAsync().WaitAsync(cts.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                lock (sawAuthorization)
                {
                    sawAuthorization.Add(ctx.Request.Headers["Authorization"]);
                }

                ctx.Response.StatusCode = 401;
                ctx.Response.AddHeader("WWW-Authenticate", "Basic realm=\"private\"");
                ctx.Response.Close();
            }
        });

        var storage = TestEnvironment.NewTempDir("direct-auth");
        using var source = NewSource(storage, b =>
        {
            b.Rules.Add(new GitRewriteRule("private.example/*", $"http://127.0.0.1:{port}/{{path}}.git"));
            b.Insecure = "private.example";
            b.Credentials.Add(new GitCredential("127.0.0.1", token, "ci"));
        });

        var result = await source.InfoAsync(ModulePath.Parse("private.example/repo"), "v1.0.0", CancellationToken.None);
        // No Stop() before the dispose: Stop frees the port, and the dispose's Close then binds it again to remove
        // the prefix, failing with "Address already in use" when a parallel test has just taken it (a CI run did).
        await cts.CancelAsync();
        await server;

        Assert.Equal(SourceFailureKind.AuthRequired, result.Failure?.Kind);
        Assert.Contains("127.0.0.1", result.Failure!.Reason, StringComparison.Ordinal);
        Assert.Contains("credentials were refused", result.Failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(token, result.Failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(CredentialSet.BasicValue(new GitCredential("127.0.0.1", token, "ci")), result.Failure.Reason, StringComparison.Ordinal);
        // The token was offered (as Basic auth) and refused, never prompted for.
        Assert.Contains("Basic " + CredentialSet.BasicValue(new GitCredential("127.0.0.1", token, "ci")), sawAuthorization);
    }

    [Fact]
    public async Task Info_InsecureSchemeWithoutInsecurePattern_RefusedWithoutContactingTheServer()
    {
        // A listener that would record any connection: git:// and http:// must not even be tried.
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var storage = TestEnvironment.NewTempDir("direct-insecure");
        using var source = NewSource(storage, b =>
        {
            b.Rules.Add(new GitRewriteRule("daemon.example/*", $"git://127.0.0.1:{port}/{{path}}"));
            b.Rules.Add(new GitRewriteRule("web.example/*", $"http://127.0.0.1:{port}/{{path}}.git"));
            b.Insecure = "other.example";
        });

        var viaGit = await source.InfoAsync(ModulePath.Parse("daemon.example/repo"), "v1.0.0", CancellationToken.None);
        var viaHttp = await source.ListAsync(ModulePath.Parse("web.example/repo"), CancellationToken.None);

        Assert.Equal(SourceFailureKind.Invalid, viaGit.Failure?.Kind);
        Assert.Contains("refusing insecure git://", viaGit.Failure!.Reason, StringComparison.Ordinal);
        Assert.Contains("--insecure", viaGit.Failure.Reason, StringComparison.Ordinal);
        Assert.Equal(SourceFailureKind.Invalid, viaHttp.Failure?.Kind);
        Assert.Contains("refusing insecure http://", viaHttp.Failure!.Reason, StringComparison.Ordinal);
        Assert.False(listener.Pending());
        Assert.Empty(Directory.Exists(storage) ? Directory.GetDirectories(storage) : []);
    }

    [Fact]
    public async Task Zip_ArchiveOverSafetyCap_RefusedAsTooLarge()
    {
        var repo = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("huge"), 50);
        // Over the spool's safety cap (4 × the limit) even though most of it is a nested module.
        repo.Write("go.mod", "module example.test/huge.git\n").Write("nested/go.mod", "module example.test/huge.git/nested\n")
            .WriteBytes("nested/blob.bin", RandomNumberGenerator.GetBytes(320 * 1024));
        repo.Commit("big");
        repo.Tag("v1.0.0");
        var storage = TestEnvironment.NewTempDir("direct-huge");
        using var source = NewSource(storage, b => b.MaxArchiveBytes = 64 * 1024);

        var path = ModulePath.Parse("example.test/huge.git");
        using var sink = new MemoryStream();
        var zip = await source.ZipAsync(path, ModuleVersion.Parse("v1.0.0"), sink, CancellationToken.None);

        Assert.Equal(SourceFailureKind.Invalid, zip.Failure?.Kind);
        Assert.Contains("too large", zip.Failure!.Reason, StringComparison.Ordinal);
        Assert.Contains($"git archive over {4 * 64 * 1024} bytes", zip.Failure.Reason, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(storage, "tmp")));
    }

    [Fact]
    public async Task Zip_TreeOverLimitOnlyThroughNestedModuleAndVendor_Accepted()
    {
        var repo = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("nested-big"), 51);
        repo.Write("go.mod", "module example.test/nested-big.git\n\ngo 1.19\n").Write("a.go", "package a\n")
            .Write("inner/go.mod", "module example.test/nested-big.git/inner\n")
            .WriteBytes("inner/blob.bin", RandomNumberGenerator.GetBytes(80 * 1024))
            .WriteBytes("vendor/example.test/dep/blob.bin", RandomNumberGenerator.GetBytes(40 * 1024));
        repo.Commit("big but mostly elsewhere");
        repo.Tag("v1.0.0");
        var storage = TestEnvironment.NewTempDir("direct-nested-big");
        using var source = NewSource(storage, b => b.MaxArchiveBytes = 64 * 1024);

        using var sink = new MemoryStream();
        var zip = await source.ZipAsync(ModulePath.Parse("example.test/nested-big.git"), ModuleVersion.Parse("v1.0.0"), sink, CancellationToken.None);

        Assert.True(zip.IsSuccess, zip.Failure?.Reason);
        sink.Position = 0;
        using var archive = new System.IO.Compression.ZipArchive(sink);
        Assert.Equal(
            ["example.test/nested-big.git@v1.0.0/a.go", "example.test/nested-big.git@v1.0.0/go.mod"],
            archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Zip_ModuleContentOverLimit_RefusedWithModuleSizeMessage()
    {
        var repo = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("content-big"), 52);
        repo.Write("go.mod", "module example.test/content-big.git\n").Write("inner/go.mod", "module example.test/content-big.git/inner\n")
            .WriteBytes("data/blob.bin", RandomNumberGenerator.GetBytes(80 * 1024));
        repo.Commit("big");
        repo.Tag("v1.0.0");
        var storage = TestEnvironment.NewTempDir("direct-content-big");
        using var source = NewSource(storage, b => b.MaxArchiveBytes = 64 * 1024);

        using var sink = new MemoryStream();
        var zip = await source.ZipAsync(ModulePath.Parse("example.test/content-big.git"), ModuleVersion.Parse("v1.0.0"), sink, CancellationToken.None);

        Assert.Equal(SourceFailureKind.Invalid, zip.Failure?.Kind);
        Assert.Contains($"example.test/content-big.git@v1.0.0: module source tree too large (max size is {64 * 1024} bytes)", zip.Failure!.Reason, StringComparison.Ordinal);
        Assert.Equal(0, sink.Length);
        Assert.Empty(Directory.GetFiles(Path.Combine(storage, "tmp")));
    }

    [Fact]
    public async Task List_HostileTagNames_IgnoredAndNeverExecuted()
    {
        var dir = DirectExampleHost.NewRepoDir("hostile");
        var repo = new DirectGitRepoBuilder(dir, 60);
        repo.Write("go.mod", "module example.test/hostile.git\n").Write("h.go", "package hostile\n");
        var head = repo.Commit("one");
        const string inject = "$(touch${IFS}pwned)";
        foreach (var name in new[] { "v1.0.0", inject, "v1.0.1';touch${IFS}pwned;'", "-v1.0.2", "v1.0.3|touch${IFS}pwned", "--upload-pack=touch${IFS}pwned" })
        {
            repo.Git("update-ref", "refs/tags/" + name, head);
        }

        var storage = TestEnvironment.NewTempDir("direct-hostile");
        using var source = NewSource(storage);
        var path = ModulePath.Parse("example.test/hostile.git");

        var list = await source.ListAsync(path, CancellationToken.None);
        var weird = await source.InfoAsync(path, inject, CancellationToken.None);
        var dash = await source.InfoAsync(path, "--upload-pack=touch${IFS}pwned", CancellationToken.None);

        Assert.Equal(["v1.0.0"], list.Value);
        Assert.True(weird.IsSuccess, weird.ToString());
        Assert.Equal("v1.0.0", weird.Value!.Version);
        Assert.True(dash.IsSuccess, dash.ToString());
        Assert.Empty(Directory.GetFiles(storage, "pwned", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(dir, "pwned", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(Environment.CurrentDirectory, "pwned")));
    }

    [Fact]
    public async Task Info_GitSlowerThanTimeout_TimeoutFailure()
    {
        var repo = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("slow"), 70);
        repo.Write("go.mod", "module example.test/slow.git\n");
        repo.Commit("one");
        repo.Tag("v1.0.0");
        var storage = TestEnvironment.NewTempDir("direct-timeout");
        // Scheme probes have their own (longer) timeout; every later git command gets 1 ms and is killed.
        using var source = NewSource(storage, b => b.GitTimeout = TimeSpan.FromMilliseconds(1));

        var result = await source.InfoAsync(ModulePath.Parse("example.test/slow.git"), "v1.0.0", CancellationToken.None);

        Assert.Equal(SourceFailureKind.Timeout, result.Failure?.Kind);
        Assert.Contains("timed out", result.Failure!.Reason, StringComparison.Ordinal);
    }

    internal sealed class DirectSourceOptionsBuilder
    {
        public required string Storage { get; init; }

        public List<GitRewriteRule> Rules { get; } = [];

        public List<GitCredential> Credentials { get; } = [];

        public long MaxArchiveBytes { get; set; } = 500L << 20;

        public string Insecure { get; set; } = "";

        public TimeSpan GitTimeout { get; set; } = TimeSpan.FromSeconds(30);

        public DirectSourceOptions Build() => new()
        {
            StorageDirectory = Storage,
            RewriteRules = Rules,
            Insecure = Insecure,
            Credentials = Credentials,
            MaxArchiveBytes = MaxArchiveBytes,
            GitTimeout = GitTimeout,
            ProbeTimeout = TimeSpan.FromSeconds(4),
            RefreshInterval = TimeSpan.Zero,
            NetrcPath = "/dev/null",
        };
    }
}
