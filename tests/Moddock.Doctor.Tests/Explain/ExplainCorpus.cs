namespace Moddock.Doctor.Tests.Explain;

/// <summary>
/// One file of testdata/explain: `# source:` names where the output was taken from, each `# expect: CAUSE WHERE`
/// (WHERE `-` for none) is one finding in order, and the rest is what the go command printed.
/// </summary>
internal sealed record ExplainCorpusEntry(string Name, string Source, IReadOnlyList<(string Cause, string? Where)> Expected, string Body)
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "testdata", "explain");

    public static IReadOnlyList<ExplainCorpusEntry> All() =>
        System.IO.Directory.GetFiles(Directory, "*.txt").Order(StringComparer.Ordinal).Select(Load).ToList();

    public static ExplainCorpusEntry Load(string path)
    {
        var source = string.Empty;
        var expected = new List<(string, string?)>();
        var body = new List<string>();
        foreach (var line in File.ReadAllLines(path))
        {
            if (body.Count == 0 && line.StartsWith("# source: ", StringComparison.Ordinal))
            {
                source = line["# source: ".Length..];
            }
            else if (body.Count == 0 && line.StartsWith("# expect: ", StringComparison.Ordinal))
            {
                var parts = line["# expect: ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                expected.Add((parts[0], parts[1] == "-" ? null : parts[1]));
            }
            else
            {
                body.Add(line);
            }
        }

        return new ExplainCorpusEntry(Path.GetFileNameWithoutExtension(path), source, expected, string.Join('\n', body) + "\n");
    }
}
