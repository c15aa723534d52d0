namespace Moddock.Modules.Tests.Differential;

/// <summary>
/// GoModFile against modfile.ParseLax (how cmd/go reads a dependency's go.mod) on real go.mod files found on
/// this machine, on x/mod's own modfile test texts, and on generated and mutated go.mod texts.
/// </summary>
[Collection(ModOracleCollection.Name)]
public sealed class GoModDifferentialTests(ModOracleFixture fixture)
{
    private static readonly string[] Roots = ["/usr/share/gocode/src", "/usr/share/go-1.19"];

    private static readonly string[] CmdGoTestData = ["/usr/share/go-1.19/src/cmd/go/testdata/mod", "/usr/share/go-1.19/src/cmd/go/testdata/script"];

    [Fact]
    public void TryParse_RealGoModFilesOnThisMachine_MatchesGo()
    {
        var files = Roots.Where(Directory.Exists)
            .SelectMany(r => Directory.EnumerateFiles(r, "go.mod", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
            .ToList();
        Assert.True(files.Count >= 5, $"only {files.Count} go.mod files found");
        var requests = files.Select(f => new OracleRequest("modfile", Text.GoBytes.Decode(File.ReadAllBytes(f)))).ToList();
        Differ.AssertSame(fixture.Oracle, requests);
    }

    [Fact]
    public void TryParse_GoModSectionsOfCmdGoTestArchives_MatchesGo()
    {
        // The go command's own test proxy modules and scripts are txtar archives full of go.mod files,
        // many of them deliberately broken.
        var texts = CmdGoTestData.Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.txt"))
            .SelectMany(f => TxtarSections(File.ReadAllText(f)))
            .Where(s => s.Name == ".mod" || s.Name == "go.mod" || s.Name.EndsWith("/go.mod", StringComparison.Ordinal))
            .Select(s => s.Data)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.True(texts.Count > 300, $"only {texts.Count} go.mod sections found");
        Differ.AssertSame(fixture.Oracle, texts.Select(t => new OracleRequest("modfile", t)).ToList());
    }

    // txtar: "-- NAME --" lines start files; a file's data runs to the next marker.
    private static IEnumerable<(string Name, string Data)> TxtarSections(string archive)
    {
        string? name = null;
        var data = new System.Text.StringBuilder();
        foreach (var line in archive.Split('\n'))
        {
            if (line.StartsWith("-- ", StringComparison.Ordinal) && line.EndsWith(" --", StringComparison.Ordinal) && line.Length >= 6)
            {
                if (name is not null)
                {
                    yield return (name, data.ToString());
                }

                name = line[3..^3].Trim();
                data.Clear();
            }
            else if (name is not null)
            {
                data.Append(line).Append('\n');
            }
        }

        if (name is not null)
        {
            yield return (name, data.ToString());
        }
    }

    [Fact]
    public void TryParse_ModfileTestDataAndTestLiterals_MatchesGo()
    {
        var dir = Path.Combine(GoTestTables.XMod, "modfile");
        var texts = Directory.EnumerateFiles(Path.Combine(dir, "testdata"), "*", SearchOption.AllDirectories)
            .Select(f => Text.GoBytes.Decode(File.ReadAllBytes(f)))
            .Concat(GoTestTables.AllLiterals("modfile/read_test.go", "modfile/rule_test.go", "modfile/work_test.go"))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.True(texts.Count > 100, $"only {texts.Count} texts");
        Differ.AssertSame(fixture.Oracle, texts.Select(t => new OracleRequest("modfile", t)).ToList());
    }

    [Fact]
    public void TryParse_GeneratedAndMutatedGoModTexts_MatchesGo()
    {
        var seeds = GoTestTables.AllLiterals("modfile/read_test.go", "modfile/rule_test.go").Where(s => s.Contains('\n', StringComparison.Ordinal)).ToList();
        var texts = FuzzInputs.Sample(FuzzGoMod.File, 1500, 30)
            .Concat(FuzzInputs.Sample(FuzzGoMod.Mutation(seeds), 1000, 31))
            .ToList();
        Differ.AssertSame(fixture.Oracle, texts.Select(t => new OracleRequest("modfile", t)).ToList());
    }

    [Fact]
    public void IsRetracted_ParsedRetractions_FollowSemverIntervals()
    {
        var text = "module example.com/m\n\nretract (\n\t// broken\n\tv1.0.1\n\t[v1.1.0, v1.2.0] // bad range\n)\nretract v2.0.0-pre\n"u8;
        Assert.True(GoModFile.TryParse(text, out var file, out var error), error?.Message);
        var go = fixture.Oracle.Ask([new OracleRequest("modfile", System.Text.Encoding.UTF8.GetString(text))])[0];
        Assert.Equal(["ok", "1", "example.com/m", "", "v1.0.1", "v1.0.1", "broken", "v1.1.0", "v1.2.0", "bad range", "v2.0.0-pre", "v2.0.0-pre", "", "require"], go);
        foreach (var v in new[] { "v1.0.0", "v1.0.1", "v1.0.2", "v1.1.0", "v1.1.5-rc.1", "v1.2.0", "v1.2.1", "v2.0.0-pre", "v2.0.0" })
        {
            var expected = go.Skip(4).TakeWhile(f => f != "require").Chunk(3).Any(r => Semver.Compare(r[0], v) <= 0 && Semver.Compare(v, r[1]) <= 0);
            Assert.Equal(expected, file!.IsRetracted(v));
        }
    }

    [Fact]
    public void Requires_DirectIndirectQuotedAndLaxVersions_MatchGo()
    {
        var text = "module example.com/m\n\nrequire (\n\tgolang.org/x/text v0.3.7 // indirect\n\t\"example.com/q\" v1.2\n\texample.com/r/v2 v2.0.0 // indirect; needed by x\n\texample.com/s v1.0.0 // not indirect\n)\n\nrequire example.com/t v0.0.0-20200101000000-abcdefabcdef\n";
        Assert.True(GoModFile.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out var file, out var error), error?.Message);
        var go = fixture.Oracle.Ask([new OracleRequest("modfile", text)])[0];
        var fromGo = go.SkipWhile(f => f != "require").Skip(1).Chunk(3).Select(r => new ModuleRequirement(r[0], r[1], r[2] == "true")).ToList();

        Assert.Equal(fromGo, file!.Requires);
        // The lax reading canonicalizes "v1.2" and keeps file order, as the go command sees a dependency's go.mod.
        Assert.Equal(
            [
                new ModuleRequirement("golang.org/x/text", "v0.3.7", true), new ModuleRequirement("example.com/q", "v1.2.0", false),
                new ModuleRequirement("example.com/r/v2", "v2.0.0", true), new ModuleRequirement("example.com/s", "v1.0.0", false),
                new ModuleRequirement("example.com/t", "v0.0.0-20200101000000-abcdefabcdef", false),
            ],
            file.Requires);
    }
}
