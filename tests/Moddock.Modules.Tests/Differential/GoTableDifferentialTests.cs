using System.Globalization;

namespace Moddock.Modules.Tests.Differential;

/// <summary>
/// Moddock against golang.org/x/mod on every string of x/mod's own test tables (module_test.go,
/// pseudo_test.go, semver_test.go), for every operation that takes such a string.
/// </summary>
[Collection(ModOracleCollection.Name)]
public sealed class GoTableDifferentialTests(ModOracleFixture fixture)
{
    private const string ModuleTest = "module/module_test.go";
    private const string PseudoTest = "module/pseudo_test.go";
    private const string SemverTest = "semver/semver_test.go";

    private static readonly string[] StringOps =
    [
        "checkpath", "checkimport", "checkfile", "split", "escapepath", "unescapepath", "escapeversion", "unescapeversion",
        "semver", "ispseudo", "pseudobase", "pseudotime", "pseudorev",
    ];

    private static IReadOnlyList<string> AllInputs => GoTestTables.AllLiterals(ModuleTest, PseudoTest, SemverTest);

    [Fact]
    public void TablesFromGo_AreReadAtTestTime_AndHaveContent()
    {
        // Guards against a silently empty scan: these tables have hundreds of strings.
        Assert.True(GoTestTables.Literals(ModuleTest).Count > 150);
        Assert.True(GoTestTables.Literals(SemverTest).Count > 40);
        Assert.True(GoTestTables.Literals(PseudoTest).Count > 20);
    }

    [Fact]
    public void EveryStringOperation_OnEveryGoTableString_MatchesGo()
    {
        var requests = AllInputs.SelectMany(s => StringOps.Select(op => new OracleRequest(op, s))).ToList();
        Differ.AssertSame(fixture.Oracle, requests);
    }

    [Fact]
    public void Check_PathsTimesVersionsFromGoTables_MatchesGo()
    {
        var paths = GoTestTables.Literals(ModuleTest);
        var versions = AllInputs.Where(s => s.StartsWith('v') || s.Length < 8).ToList();
        var requests = paths.SelectMany(p => versions.Select(v => new OracleRequest("check", p, v))).ToList();
        Differ.AssertSame(fixture.Oracle, requests);
    }

    [Fact]
    public void CheckPathMajor_VersionsTimesMajorsFromGoTables_MatchesGo()
    {
        var majors = GoTestTables.LiteralsInFunc(ModuleTest, "TestMatchPathMajor")
            .Concat(AllInputs.Select(p => ModulePathChecks.SplitPathVersion(p).PathMajor))
            .Append("").Append("v2").Append("/").Append(".")
            .Distinct(StringComparer.Ordinal).ToList();
        var requests = AllInputs.SelectMany(v => majors.Select(m => new OracleRequest("checkpathmajor", v, m))).ToList();
        Differ.AssertSame(fixture.Oracle, requests);
    }

    [Fact]
    public void Compare_AllPairsOfGoTableVersions_MatchesGo()
    {
        var versions = GoTestTables.AllLiterals(SemverTest, PseudoTest);
        var requests = versions.SelectMany(a => versions.Select(b => new OracleRequest("compare", a, b))).ToList();
        Differ.AssertSame(fixture.Oracle, requests);
    }

    [Fact]
    public void PseudoVersionBuild_GoTableBasesMajorsAndTimes_MatchesGo()
    {
        var literals = GoTestTables.Literals(PseudoTest);
        var majors = literals.Where(s => s.Length <= 6).Append("v3").Distinct(StringComparer.Ordinal).ToList();
        var bases = GoTestTables.AllLiterals(PseudoTest, SemverTest);
        long[] times = [0, 1136214245, -62135596800, 253402300799, 1700000000];
        string[] revs = ["hash", "abcdef123456", "000000000000"];
        var requests = (
            from major in majors
            from older in bases
            from t in times
            from rev in revs
            select new OracleRequest("pseudo", major, older, t.ToString(CultureInfo.InvariantCulture), rev)).ToList();
        Differ.AssertSame(fixture.Oracle, requests);
    }

    [Fact]
    public void MatchPrefixPatterns_GlobsTimesTargetsFromGoTable_MatchesGo()
    {
        var literals = GoTestTables.LiteralsInFunc(ModuleTest, "TestMatchPrefixPatterns");
        var targets = literals.Concat(GoTestTables.Literals(ModuleTest).Take(80)).Distinct(StringComparer.Ordinal).ToList();
        var requests = literals.SelectMany(g => targets.Select(t => new OracleRequest("match", g, t))).ToList();
        Differ.AssertSame(fixture.Oracle, requests);
    }
}
