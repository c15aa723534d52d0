using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Git;

/// <summary>
/// The repositories every go-vs-Moddock comparison runs on, and the queries asked of each. A query
/// "@commit:N" stands for a 10-digit prefix of the N-th commit's hash, "@pseudo:M@Q" for the version go
/// resolved Q to (asked again, as a pseudo-version).
/// </summary>
internal sealed class DirectScenarios
{
    public const string Basic = "example.test/basic.git";
    public const string Multi = "example.test/multi.git";
    public const string MultiSub = "example.test/multi.git/sub";
    public const string MultiV2 = "example.test/multi.git/v2";
    public const string MajorV3 = "example.test/major.git/v3";
    public const string Legacy = "example.test/legacy.git";
    public const string Untagged = "example.test/untagged.git";

    public static readonly (string Module, string Query)[] Queries =
    [
        (Basic, "v1.0.0"), (Basic, "v1.1.0"), (Basic, "v1.2.0-rc.1"), (Basic, "main"), (Basic, "feature"),
        (Basic, "latest"), (Basic, "@commit:basic:2"), (Basic, "@commit:basic:4"), (Basic, "v1.0.0-20260101000000-000000000000"), (Basic, "v9.9.9"),
        (Multi, "v1.0.0"), (Multi, "latest"),
        (MultiSub, "v1.0.0"), (MultiSub, "v1.0.1"), (MultiSub, "latest"), (MultiSub, "main"),
        (MultiV2, "v2.0.0"), (MultiV2, "latest"), (MultiV2, "main"),
        (MajorV3, "v3.0.0"), (MajorV3, "v3.1.0"), (MajorV3, "latest"), (MajorV3, "main"),
        (Legacy, "v1.0.0"), (Legacy, "v2.0.0+incompatible"), (Legacy, "v2.0.0"), (Legacy, "latest"), (Legacy, "main"),
        (Untagged, "latest"), (Untagged, "main"),
    ];

    public static readonly string[] Modules = [Basic, Multi, MultiSub, MultiV2, MajorV3, Legacy, Untagged];

    public Dictionary<string, string[]> Commits { get; } = new(StringComparer.Ordinal);

    public void Build(string root)
    {
        BuildBasic(new DirectGitRepoBuilder(Path.Combine(root, "basic")));
        BuildMulti(new DirectGitRepoBuilder(Path.Combine(root, "multi"), 10));
        BuildMajor(new DirectGitRepoBuilder(Path.Combine(root, "major"), 20));
        BuildLegacy(new DirectGitRepoBuilder(Path.Combine(root, "legacy"), 30));
        var u = new DirectGitRepoBuilder(Path.Combine(root, "untagged"), 40);
        u.Write("go.mod", "module example.test/untagged.git\n\ngo 1.19\n").Write("u.go", "package untagged\n");
        Commits["untagged"] = [u.Commit("one"), u.Write("u.go", "package untagged // two\n").Commit("two")];
    }

    private void BuildBasic(DirectGitRepoBuilder r)
    {
        var commits = new List<string>();
        r.Write("go.mod", "module example.test/basic.git\n\ngo 1.19\n")
            .Write("LICENSE", "Basic license\n")
            .Write("a.go", "package basic\n")
            .WriteZipEdgeCases("example.test/basic.git", "basic");
        commits.Add(r.Commit("v1.0.0"));
        r.Tag("v1.0.0");
        r.Write("go.mod", "module example.test/basic.git\n\ngo 1.19\n\nretract v1.0.0 // broken\n").Write("b.go", "package basic // b\n");
        commits.Add(r.Commit("v1.1.0"));
        r.AnnotatedTag("v1.1.0");
        r.Write("c.go", "package basic // c\n");
        commits.Add(r.Commit("rc"));
        r.Tag("v1.2.0-rc.1");
        r.Write("d.go", "package basic // d\n");
        commits.Add(r.Commit("untagged on main"));
        r.Checkout("feature", create: true);
        r.Git("reset", "-q", "--hard", "v1.1.0");
        r.Write("f.go", "package basic // feature\n");
        commits.Add(r.Commit("feature work"));
        r.Checkout("main");
        Commits["basic"] = [.. commits];
    }

    private void BuildMulti(DirectGitRepoBuilder r)
    {
        r.Write("go.mod", "module example.test/multi.git\n\ngo 1.19\n")
            .Write("LICENSE", "Root license, copied into sub\n")
            .Write("root.go", "package multi\n")
            .Write("sub/go.mod", "module example.test/multi.git/sub\n\ngo 1.19\n")
            .Write("sub/sub.go", "package sub\n")
            .Write("v2/go.mod", "module example.test/multi.git/v2\n\ngo 1.19\n")
            .Write("v2/v2.go", "package multi\n");
        Commits["multi"] = [r.Commit("one")];
        r.Tag("v1.0.0").Tag("sub/v1.0.0").Tag("v2.0.0");
        r.Write("sub/more.go", "package sub // more\n");
        r.Commit("two");
        r.AnnotatedTag("sub/v1.0.1");
        r.Write("v2/more.go", "package multi // more\n");
        r.Commit("three");
    }

    private void BuildMajor(DirectGitRepoBuilder r)
    {
        r.Write("go.mod", "module example.test/major.git/v3\n\ngo 1.19\n").Write("m.go", "package major\n");
        r.Commit("one");
        r.Tag("v3.0.0");
        r.Write("m2.go", "package major // 2\n");
        r.Commit("two");
        r.Tag("v3.1.0");
        r.Write("m3.go", "package major // 3\n");
        r.Commit("three");
    }

    private void BuildLegacy(DirectGitRepoBuilder r)
    {
        r.Write("legacy.go", "package legacy\n").Write("LICENSE", "legacy\n");
        r.Commit("one");
        r.Tag("v1.0.0");
        r.Write("legacy2.go", "package legacy // 2\n");
        r.Commit("two");
        r.AnnotatedTag("v2.0.0");
        r.Write("legacy3.go", "package legacy // 3\n");
        r.Commit("three");
    }

    /// <summary>The query text to send for a symbolic query.</summary>
    public string Resolve(string query)
    {
        if (query.StartsWith("@commit:", StringComparison.Ordinal))
        {
            var parts = query["@commit:".Length..].Split(':');
            return Commits[parts[0]][int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)][..10];
        }

        return query;
    }
}
