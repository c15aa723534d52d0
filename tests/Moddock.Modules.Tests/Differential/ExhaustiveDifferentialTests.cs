namespace Moddock.Modules.Tests.Differential;

/// <summary>
/// Every short string over small alphabets that hit each rule (dots, slashes, major suffixes, escapes, semver
/// separators), compared with x/mod: a systematic complement to the random fuzzing.
/// </summary>
[Collection(ModOracleCollection.Name)]
public sealed class ExhaustiveDifferentialTests(ModOracleFixture fixture)
{
    [Fact]
    public void PathOperations_AllShortElementsAfterADomain_MatchGo()
    {
        // 11^4 tails after "x.y/": every combination of the characters the path rules treat specially.
        var tails = AllStrings(["a", "A", "0", "2", ".", "/", "-", "~", "+", "!", "v"], 4);
        var requests = tails.Select(t => "x.y/" + t)
            .Concat(tails.Where(t => t.Length <= 3).Select(t => "gopkg.in/y" + t))
            .SelectMany(p => new[] { "checkpath", "checkimport", "checkfile", "split", "unescapepath" }.Select(op => new OracleRequest(op, p)))
            .ToList();
        Differ.AssertSame(fixture.Oracle, requests);
    }

    [Fact]
    public void VersionOperations_AllShortVersions_MatchGo()
    {
        var versions = AllStrings(["0", "1", "01", ".", "-", "+", "a"], 5).Select(s => "v" + s).Append("v").ToList();
        var requests = versions.Select(v => new OracleRequest("semver", v))
            .Concat(versions.Select(v => new OracleRequest("unescapeversion", v)))
            .Concat(versions.Select((v, i) => new OracleRequest("compare", v, versions[(i * 7919) % versions.Count])))
            .ToList();
        Differ.AssertSame(fixture.Oracle, requests);
    }

    private static List<string> AllStrings(string[] alphabet, int maxLength)
    {
        var all = new List<string> { "" };
        var level = new List<string> { "" };
        for (var n = 1; n <= maxLength; n++)
        {
            level = level.SelectMany(prefix => alphabet.Select(c => prefix + c)).ToList();
            all.AddRange(level);
        }

        return all;
    }
}
