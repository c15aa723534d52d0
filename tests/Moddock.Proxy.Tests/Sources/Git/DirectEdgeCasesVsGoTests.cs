using Moddock.Modules;
using Moddock.Modules.Zip;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Sources.Git;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Git;

/// <summary>
/// Repository shapes found by attacking direct mode as a user would, each compared with
/// `GOPROXY=direct go mod download -json` on the same repository: the same version and h1: hashes, or a
/// failure where go fails, also for the version go printed with its failure (asked again by version).
/// </summary>
public sealed class DirectEdgeCasesVsGoTests(DirectEdgeCasesVsGoTests.Fixture fx) : IClassFixture<DirectEdgeCasesVsGoTests.Fixture>
{
    private const string Quirk = "example.test/edge-quirk.git";
    private const string QuirkV2 = "example.test/edge-quirk.git/a/v2";
    private const string Lic = "example.test/edge-lic.git";
    private const string Objects = "example.test/edge-objects.git";
    private const string Detached = "example.test/edge-detached.git";

    private static readonly (string Module, string Query)[] Queries =
    [
        // go.dev/cl: validatePseudoVersion trims the module's tag prefix with strings.TrimPrefix, so a plain
        // root tag equal to the base on the same commit also makes the pseudo-version "already canonical".
        (QuirkV2, "main"), (QuirkV2, "v2.0.0"), (QuirkV2, "latest"), (Quirk, "v1.0.0"),
        // LICENSE symlinks: a subdirectory's symlinked LICENSE counts as present (then dropped from the zip),
        // a root LICENSE that is a symlink is copied as git stores it (the link text).
        (Lic + "/a", "v1.0.0"), (Lic + "/b", "v1.0.0"),
        // Tags on a tree and on a blob, an annotated tag of an annotated tag, a branch named like a version.
        (Objects, "v1.1.0"), (Objects, "v1.2.0"), (Objects, "v1.4.0"), (Objects, "v1.9.0"), (Objects, "latest"),
        // A remote whose HEAD is detached (no branch points at it): cmd/go fetches it as HASH:refs/dummy.
        (Detached, "HEAD"), (Detached, "latest"),
    ];

    public static TheoryData<string, string> QueryData()
    {
        var data = new TheoryData<string, string>();
        foreach (var (m, q) in Queries)
        {
            data.Add(m, q);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(QueryData))]
    public async Task Query_EdgeCaseRepository_SameAsGoDirect(string module, string query)
    {
        var go = fx.Go[module + "@" + query];
        var path = ModulePath.Parse(module);
        var info = query == "latest"
            ? await fx.Source.LatestAsync(path, CancellationToken.None)
            : await fx.Source.InfoAsync(path, query, CancellationToken.None);
        if (go.Error is not null)
        {
            // go may resolve the query and fail only on the version it resolved to: so must Moddock.
            var failed = !info.IsSuccess
                || !(await fx.Source.InfoAsync(path, info.Value!.Version, CancellationToken.None)).IsSuccess;
            Assert.True(failed, $"go failed ({go.Error}) but Moddock resolved {module}@{query} to {info}");
            if (go.Version is { } goVersion && goVersion != query)
            {
                var byVersion = await fx.Source.InfoAsync(path, goVersion, CancellationToken.None);
                Assert.False(byVersion.IsSuccess, $"go failed on {goVersion} ({go.Error}) but Moddock resolved it: {byVersion}");
                Assert.Equal(SourceFailureKind.NotFound, byVersion.Failure!.Kind);
            }

            return;
        }

        Assert.True(info.IsSuccess, $"go resolved {module}@{query} to {go.Version}; Moddock: {info}");
        Assert.Equal(go.Version, info.Value!.Version);
        var version = ModuleVersion.Parse(info.Value.Version);
        var mod = await fx.Source.ModAsync(path, version, CancellationToken.None);
        Assert.True(mod.IsSuccess, mod.ToString());
        Assert.Equal(go.GoModSum, DirHash.HashGoMod(mod.Value));
        var zipFile = Path.Combine(TestEnvironment.NewTempDir("direct-edge-zip"), "m.zip");
        await using (var zip = File.Create(zipFile))
        {
            var written = await fx.Source.ZipAsync(path, version, zip, CancellationToken.None);
            Assert.True(written.IsSuccess, written.ToString());
        }

        Assert.Equal(go.Sum, DirHash.HashZip(zipFile));
    }

    public sealed class Fixture : IDisposable
    {
        public Fixture()
        {
            BuildRepositories();
            var temp = TestEnvironment.NewTempDir("go-direct-edge");
            var work = Path.Combine(temp, "work");
            Directory.CreateDirectory(work);
            var r = ProcessRunner.Run(
                "go", ["mod", "download", "-json", .. Queries.Select(q => q.Module + "@" + q.Query)], work, GoDirect.Environment(temp), timeout: TimeSpan.FromMinutes(2));
            Go = GoDownloadJson.Parse(r.StdOut).ToDictionary(e => e.Key, StringComparer.Ordinal);
            Assert.True(Go.Count == Queries.Length, "go mod download answered " + Go.Count + " of " + Queries.Length + ": " + r.StdErr);
            Source = new DirectSource(new DirectSourceOptions
            {
                StorageDirectory = TestEnvironment.NewTempDir("direct-edge-vcs"),
                RefreshInterval = TimeSpan.Zero,
                NetrcPath = "/dev/null",
            });
        }

        internal Dictionary<string, GoDownloadEntry> Go { get; }

        internal DirectSource Source { get; }

        public void Dispose() => Source.Dispose();

        private static void BuildRepositories()
        {
            var q = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("edge-quirk"), 400);
            q.Write("go.mod", $"module {Quirk}\n").Write("q.go", "package q\n");
            q.Commit("one");
            q.Tag("v1.0.0");
            q.Write("a/v2/go.mod", $"module {QuirkV2}\n").Write("a/v2/a.go", "package a\n");
            q.Commit("two");
            q.Tag("a/v2.0.0");
            q.Write("a/v2/b.go", "package a // b\n");
            q.Commit("three");
            q.Tag("v2.0.0");

            var l = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("edge-lic"), 401);
            l.Write("go.mod", $"module {Lic}\n").Write("LICENSE.txt", "root license\n").Symlink("LICENSE", "LICENSE.txt")
                .Write("a/go.mod", $"module {Lic}/a\n").Write("a/a.go", "package a\n").Symlink("a/LICENSE", "../LICENSE.txt")
                .Write("b/go.mod", $"module {Lic}/b\n").Write("b/b.go", "package b\n");
            l.Commit("one");
            l.Tag("a/v1.0.0").Tag("b/v1.0.0");

            var o = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("edge-objects"), 402);
            o.Write("go.mod", $"module {Objects}\n").Write("o.go", "package o\n");
            o.Commit("one");
            o.Tag("v1.0.0");
            o.Tag("v1.1.0", "HEAD^{tree}").Tag("v1.2.0", "HEAD:go.mod").AnnotatedTag("v1.3.0");
            o.Git("-c", "advice.nestedTag=false", "tag", "-a", "-m", "nested", "v1.4.0", "v1.3.0");
            o.Write("o.go", "package o // two\n");
            o.Commit("two");
            o.Git("branch", "v1.9.0");
            o.Write("o.go", "package o // three\n");
            o.Commit("three");

            var d = new DirectGitRepoBuilder(DirectExampleHost.NewRepoDir("edge-detached"), 403);
            d.Write("go.mod", $"module {Detached}\n").Write("d.go", "package d\n");
            d.Commit("one");
            d.Git("checkout", "-q", "--detach");
            d.Write("d.go", "package d // detached\n");
            d.Commit("detached");
        }
    }
}
