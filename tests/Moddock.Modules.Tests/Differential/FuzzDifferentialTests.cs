using System.Globalization;
using FsCheck.Fluent;

namespace Moddock.Modules.Tests.Differential;

/// <summary>
/// Thousands of generated inputs (FsCheck), batched through one oracle process: Moddock must give Go's
/// answer, error text included, and must never throw.
/// </summary>
[Collection(ModOracleCollection.Name)]
public sealed class FuzzDifferentialTests(ModOracleFixture fixture)
{
    private static readonly string[] PathOps =
        ["checkpath", "checkimport", "checkfile", "split", "escapepath", "unescapepath", "escapeversion", "unescapeversion"];

    [Fact]
    public void PercentDecoding_GeneratedSegments_MatchesUrlPathUnescape()
    {
        var pieces = Gen.Frequency((3, FuzzInputs.Char), (2, Gen.Elements("%21", "%2F", "%2f", "%", "%2", "%zz", "%e2%98%ba", "%ff", "%C3", "%c3%a9", "+", "%2B", "%00", "!")));
        var segments = FuzzInputs.Sample(pieces.ListOf().Select(p => string.Concat(p)).Resize(10), 3000, 23)
            .Concat(FuzzInputs.Sample(FuzzInputs.StructuredPath, 500, 24).Select(p => p.Replace("!", "%21", StringComparison.Ordinal)))
            .ToList();
        Differ.AssertSame(fixture.Oracle, segments.Select(s => new OracleRequest("pathunescape", s)).ToList());
    }

    private static readonly string[] VersionOps = ["semver", "ispseudo", "pseudobase", "pseudotime", "pseudorev", "escapeversion", "unescapeversion"];

    private static IReadOnlyList<string> GoTableInputs =>
        GoTestTables.AllLiterals("module/module_test.go", "module/pseudo_test.go", "semver/semver_test.go");

    [Fact]
    public void PathOperations_GeneratedAndMutatedPaths_MatchGo()
    {
        var inputs = FuzzInputs.Sample(FuzzInputs.Path, 2000, 1)
            .Concat(FuzzInputs.Sample(FuzzInputs.StructuredPath, 1500, 19))
            .Concat(FuzzInputs.Sample(FuzzInputs.Mutation(GoTableInputs), 2000, 2))
            .Distinct(StringComparer.Ordinal).ToList();
        Assert.True(inputs.Count > 3000, $"only {inputs.Count} distinct inputs");
        Differ.AssertSame(fixture.Oracle, inputs.SelectMany(s => PathOps.Select(op => new OracleRequest(op, s))).ToList());
    }

    [Fact]
    public void VersionOperations_GeneratedVersionsAndPseudoVersions_MatchGo()
    {
        var inputs = FuzzInputs.Sample(FuzzInputs.Version, 2000, 3)
            .Concat(FuzzInputs.Sample(FuzzInputs.Pseudo, 2500, 4))
            .Concat(FuzzInputs.Sample(FuzzInputs.Mutation(GoTableInputs), 1000, 5))
            .Distinct(StringComparer.Ordinal).ToList();
        Assert.True(inputs.Count > 3000, $"only {inputs.Count} distinct inputs");
        Differ.AssertSame(fixture.Oracle, inputs.SelectMany(s => VersionOps.Select(op => new OracleRequest(op, s))).ToList(), YearZero);
    }

    [Fact]
    public void CompareAndCheckPathMajor_GeneratedPairs_MatchGo()
    {
        var a = FuzzInputs.Sample(FuzzInputs.Version, 3000, 6);
        var b = FuzzInputs.Sample(FuzzInputs.Version, 3000, 7);
        var majors = FuzzInputs.Sample(FuzzInputs.Path, 3000, 8).Select(p => ModulePathChecks.SplitPathVersion(p).PathMajor).ToList();
        var requests = new List<OracleRequest>();
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            requests.Add(new OracleRequest("compare", a[i], b[i]));
            requests.Add(new OracleRequest("compare", a[i], a[i] + "+x"));
            requests.Add(new OracleRequest("checkpathmajor", a[i], majors[i % majors.Count]));
        }

        Differ.AssertSame(fixture.Oracle, requests);
    }

    [Fact]
    public void Check_GeneratedPathVersionPairs_MatchGo()
    {
        var paths = FuzzInputs.Sample(FuzzInputs.Mutation(GoTestTables.Literals("module/module_test.go")), 1000, 9)
            .Concat(FuzzInputs.Sample(FuzzInputs.StructuredPath, 1000, 20)).ToList();
        var versions = FuzzInputs.Sample(FuzzInputs.Version, 2000, 10);
        var requests = paths.Select((p, i) => new OracleRequest("check", p, versions[i % versions.Count])).ToList();
        Differ.AssertSame(fixture.Oracle, requests);
    }

    [Fact]
    public void PseudoVersionBuild_GeneratedBasesAndTimes_MatchGo()
    {
        var bases = FuzzInputs.Sample(FuzzInputs.Version, 1500, 11).Concat(FuzzInputs.Sample(FuzzInputs.Pseudo, 500, 12)).ToList();
        var rnd = new Random(FuzzInputs.Seed);
        var requests = bases.Select(b => new OracleRequest(
            "pseudo",
            rnd.Next(4) switch { 0 => "", 1 => "v0", 2 => "v1", _ => "v" + rnd.Next(2, 20).ToString(CultureInfo.InvariantCulture) },
            b,
            rnd.NextInt64(-62135596800, 253402300799).ToString(CultureInfo.InvariantCulture),
            rnd.Next(2) == 0 ? "abcdef123456" : Convert.ToHexStringLower(BitConverter.GetBytes(rnd.NextInt64()))[..12])).ToList();
        Differ.AssertSame(fixture.Oracle, requests);
    }

    [Fact]
    public void MatchPrefixPatterns_GeneratedGlobLists_MatchGo()
    {
        var globs = FuzzInputs.Sample(FuzzInputs.Glob, 3000, 13);
        var targets = FuzzInputs.Sample(FuzzInputs.Path, 1500, 14)
            .Concat(FuzzInputs.Sample(FuzzInputs.StructuredPath, 1500, 22))
            .Concat(FuzzInputs.Sample(FuzzInputs.Mutation(GoTestTables.LiteralsInFunc("module/module_test.go", "TestMatchPrefixPatterns")), 1000, 15))
            .ToList();
        var requests = globs.Select((g, i) => new OracleRequest("match", g, targets[i % targets.Count]))
            .Concat(targets.Select((t, i) => new OracleRequest("match", globs[i % globs.Count], t)))
            .Concat(targets.Take(1000).Select(t => new OracleRequest("match", PrefixGlob(t), t)))
            .ToList();
        Differ.AssertSame(fixture.Oracle, requests);
    }

    [Fact]
    public void TypedWrappers_GeneratedInputs_AgreeWithGoChecks()
    {
        var paths = FuzzInputs.Sample(FuzzInputs.Mutation(GoTableInputs), 1000, 16).Concat(FuzzInputs.Sample(FuzzInputs.StructuredPath, 1000, 21)).ToList();
        var versions = FuzzInputs.Sample(FuzzInputs.Version, 1500, 17).Concat(FuzzInputs.Sample(FuzzInputs.Pseudo, 500, 18)).ToList();
        var go = fixture.Oracle.Ask(
            paths.Select(p => new OracleRequest("checkpath", p))
                .Concat(paths.Select(p => new OracleRequest("unescapepath", p)))
                .Concat(versions.Select(v => new OracleRequest("semver", v)))
                .Concat(versions.Select(v => new OracleRequest("unescapeversion", v)))
                .ToList());
        var n = paths.Count;
        for (var i = 0; i < n; i++)
        {
            var p = paths[i];
            Assert.Equal(go[i][0] == "ok", ModulePath.TryParse(p, out var mp, out var err));
            Assert.Equal(go[i][0] == "ok", err is null);
            if (err is null)
            {
                Assert.Equal(p, mp.Value);
                Assert.True(ModulePath.TryUnescape(mp.Escaped, out var back, out _));
                Assert.Equal(mp, back);
            }

            Assert.Equal(go[n + i][0] == "ok", ModulePath.TryUnescape(p, out var up, out _));
            Assert.Equal(go[n + i][0] == "ok" ? go[n + i][1] : "", up.Value);
        }

        for (var i = 0; i < versions.Count; i++)
        {
            var v = versions[i];
            var sem = go[2 * n + i];
            var canonical = sem[0] == "1" && sem[6] == v;
            Assert.True(canonical == ModuleVersion.TryParse(v, out var mv, out var err), $"ModuleVersion.TryParse({v}): {err}");
            if (canonical)
            {
                Assert.True(ModuleVersion.TryUnescape(mv.Escaped, out var back, out _));
                Assert.Equal(mv, back);
            }

            var unescaped = go[2 * n + versions.Count + i];
            var ok = ModuleVersion.TryUnescape(v, out var uv, out _);
            Assert.True(!ok || (unescaped[0] == "ok" && unescaped[1] == uv.Value), $"ModuleVersion.TryUnescape({v})");
        }
    }

    // The glob made of the first elements of a target, wildcarded: matched against its own path.
    private static string PrefixGlob(string target)
    {
        var parts = target.Split('/');
        return string.Join('/', parts.Take(Math.Max(1, parts.Length / 2)).Select((p, i) => i % 2 == 0 ? "*" : p));
    }

    // Go parses year 0000 in a pseudo-version timestamp; .NET has no year 0, so Moddock reports the time as malformed.
    private static bool YearZero(OracleRequest request, string[] go) =>
        request.Op == "pseudotime" && go[0] == "ok" && go[1].StartsWith("0000-", StringComparison.Ordinal)
        && !PseudoVersion.TryGetTime(request.Args[0], out _, out var error) && error!.Message.Contains("malformed time", StringComparison.Ordinal);
}
