using Moddock.Modules;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Tests.Support;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Requests;

/// <summary>Hostile paths and versions never reach a file outside the storage root, and never crash.</summary>
public sealed class TraversalTests
{
    private static readonly string[] Hostile =
    [
        "..", "../..", "../../etc/passwd", "%2e%2e", "%2e%2e%2fetc", "..%2f..%2fetc", "a/../../b", "a\\..\\..\\b", "/etc/passwd", "\\etc\\passwd",
        "example.com/../../x", "example.com/./x", "example.com//x", "example.com/x\0y", "example.com/x/..", "C:\\Windows", "~root", "example.com/!!x",
        "example.com/x/", ".example.com/x", "example.com/.x", "example.com/x%00", new string('a', 5000), "example.com/" + new string('b', 300),
    ];

    public static TheoryData<string> Corpus() => [.. Hostile];

    [Theory]
    [MemberData(nameof(Corpus))]
    public void StorePath_HostileModulePathOrVersion_RejectedOrInsideTheRoot(string hostile)
    {
        var root = Path.GetFullPath(TestEnvironment.NewTempDir("traversal-layout"));
        var layout = new DiskLayout(root);
        var v1 = ModuleVersion.Parse("v1.0.0");
        var files = new List<string>();
        if (ModulePath.TryParse(hostile, out var parsed, out _))
        {
            Add(files, () => layout.FileFor(StoreKey.ForVersion(parsed, ArtifactKind.Zip, v1)));
        }

        if (ModulePath.TryUnescape(hostile, out var unescaped, out _))
        {
            Add(files, () => layout.FileFor(StoreKey.List(unescaped)));
        }

        if (ModuleVersion.TryUnescape(hostile, out var version, out _))
        {
            Add(files, () => layout.FileFor(StoreKey.ForVersion(ModulePath.Parse("example.com/m"), ArtifactKind.Info, version)));
        }

        Assert.All(files, f => Assert.StartsWith(root + Path.DirectorySeparatorChar, f));
    }

    private static void Add(List<string> files, Func<string> fileFor)
    {
        try
        {
            files.Add(fileFor());
        }
        catch (InvalidOperationException)
        {
            // The layout refused it (for example an element longer than a file name may be): also safe.
        }
    }

    [Fact]
    public async Task Resolve_PathElementLongerThanAFileName_BadRequestNotAnException()
    {
        var h = new ResolverHarness([]);
        var r = await h.GetAsync(ModulePath.Parse("example.com/" + new string('b', 300)), ArtifactKind.List);

        Assert.Equal(ResolveOutcome.BadRequest, r.Outcome);
        Assert.Contains("too long", r.Reason);
    }

    [Fact]
    public async Task Resolve_HostileVersionQueries_NeverWriteOutsideTheRootOrThrow()
    {
        var parent = TestEnvironment.NewTempDir("traversal");
        var root = Path.Combine(parent, "root");
        var m = new TestModule("example.com/t", "v1.0.0");
        var h = new ResolverHarness([Proxy.Sources.ChainEntry.Upstream(new FakeSource("up", m), false)], root: root);
        var before = Directory.EnumerateFileSystemEntries(parent).Order().ToList();

        foreach (var hostile in Hostile.Concat(["v1.0.0/../../../x", "v1.0.0\0", "v1.0.0%2f..", "..\\..\\v1.0.0", "v1.0.0/..", "latest/../.."]))
        {
            foreach (var kind in new[] { ArtifactKind.Info, ArtifactKind.Mod, ArtifactKind.Zip })
            {
                var r = await h.GetAsync(m.Path, kind, hostile);
                Assert.NotEqual(ResolveOutcome.Found, r.Outcome);
                Assert.DoesNotContain('\0', r.Reason!);
            }
        }

        // Artifacts are answered before their durable commit: look at the disk only once every fetch has ended.
        await h.SettledAsync();
        Assert.Equal(before, Directory.EnumerateFileSystemEntries(parent).Order().ToList());
        Assert.All(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories), f => Assert.StartsWith(root + Path.DirectorySeparatorChar, Path.GetFullPath(f)));
    }
}
