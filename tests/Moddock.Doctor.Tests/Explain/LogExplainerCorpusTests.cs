using Moddock.Doctor.Explain;
using Moddock.Doctor.Reporting;
using Moddock.Testing;

namespace Moddock.Doctor.Tests.Explain;

public sealed class LogExplainerCorpusTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var e in ExplainCorpusEntry.All())
        {
            data.Add(e.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task ExplainAsync_CorpusEntry_NamesExpectedCauseAndWhere(string name)
    {
        var entry = ExplainCorpusEntry.Load(Path.Combine(ExplainCorpusEntry.Directory, name + ".txt"));
        Assert.NotEmpty(entry.Source);
        Assert.NotEmpty(entry.Expected);

        var findings = await Explain(entry.Body);

        Assert.Equal(entry.Expected, findings.Select(f => (f.Cause, f.Where)).ToList());
        Assert.All(findings, f => Assert.False(string.IsNullOrWhiteSpace(f.Fix)));
    }

    [Fact]
    public void Corpus_AllEntries_CoverEveryCauseAndAtLeastSixty()
    {
        var entries = ExplainCorpusEntry.All();
        var covered = entries.SelectMany(e => e.Expected).Select(x => x.Cause).ToHashSet();

        Assert.True(entries.Count >= 60, $"only {entries.Count} corpus entries");
        var missing = CauseIds.All.Where(c => !covered.Contains(c)).ToList();
        Assert.True(missing.Count == 0, "causes without a corpus entry: " + string.Join(", ", missing));
        Assert.All(entries.SelectMany(e => e.Expected), x => Assert.Contains(x.Cause, CauseIds.All));
        Assert.All(entries.SelectMany(e => e.Expected).Where(x => x.Where is not null), x => Assert.Contains(x.Where, Where.All));
    }

    [Fact]
    public void CauseIds_All_MatchTheSharedDiagnosisTable()
    {
        // The ids are defined in shared/docs/diagnosis-causes.md, which sits beside the clone (or beside
        // the worktrees' parent folder when the repository is worked on in git worktrees).
        var doc = new[] { "..", Path.Combine("..", "..") }
            .Select(up => Path.GetFullPath(Path.Combine(TestEnvironment.RepoRoot, up, "shared", "docs", "diagnosis-causes.md")))
            .FirstOrDefault(File.Exists);
        Assert.True(doc is not null, "shared/docs/diagnosis-causes.md not found beside " + TestEnvironment.RepoRoot);

        Assert.Equal(CauseIds.All.Count, CauseIds.All.Distinct().Count());
        var ids = File.ReadAllLines(doc)
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l.Split('`')[1])
            .ToHashSet();
        Assert.Equal(ids.Order(StringComparer.Ordinal), CauseIds.All.Order(StringComparer.Ordinal));
    }

    internal static async Task<List<Finding>> Explain(string text)
    {
        var list = new List<Finding>();
        await foreach (var f in LogExplainer.ExplainAsync(new StringReader(text)))
        {
            list.Add(f);
        }

        return list;
    }
}
