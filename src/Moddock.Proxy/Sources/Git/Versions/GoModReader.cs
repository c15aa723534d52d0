using Moddock.Modules;

namespace Moddock.Proxy.Sources.Git.Versions;

/// <summary>
/// The two things direct mode reads from a go.mod: the module path and the retract directives.
/// TEMPORARY: a line reader until `modules` lands GoModFile (docs/CONTRACTS.md); then both methods
/// become one-line calls to GoModFile.TryParse and this body goes away.
/// </summary>
internal static class GoModReader
{
    /// <summary>modfile.ModulePath: the module directive's path, or "" when there is none.</summary>
    public static string ModulePath(byte[] goMod)
    {
        foreach (var line in Lines(goMod))
        {
            if (line.StartsWith("module", StringComparison.Ordinal) && line.Length > 6 && char.IsWhiteSpace(line[6]))
            {
                return line[7..].Trim().Trim('"', '`');
            }
        }

        return "";
    }

    public static IReadOnlyList<(string Low, string High)> Retractions(byte[] goMod)
    {
        var result = new List<(string, string)>();
        var inBlock = false;
        foreach (var line in Lines(goMod))
        {
            if (inBlock)
            {
                if (line == ")")
                {
                    inBlock = false;
                }
                else
                {
                    Add(line, result);
                }
            }
            else if (line.StartsWith("retract", StringComparison.Ordinal))
            {
                var rest = line["retract".Length..].Trim();
                if (rest == "(")
                {
                    inBlock = true;
                }
                else
                {
                    Add(rest, result);
                }
            }
        }

        return result;
    }

    private static void Add(string item, List<(string, string)> into)
    {
        if (item.Length == 0)
        {
            return;
        }

        if (item.StartsWith('['))
        {
            var parts = item.Trim('[', ']').Split(',');
            if (parts.Length == 2 && Semver.IsValid(parts[0].Trim()) && Semver.IsValid(parts[1].Trim()))
            {
                into.Add((parts[0].Trim(), parts[1].Trim()));
            }
        }
        else if (Semver.IsValid(item))
        {
            into.Add((item, item));
        }
    }

    private static IEnumerable<string> Lines(byte[] goMod) =>
        System.Text.Encoding.UTF8.GetString(goMod).Split('\n')
            .Select(l => (l.Contains("//", StringComparison.Ordinal) ? l[..l.IndexOf("//", StringComparison.Ordinal)] : l).Trim())
            .Where(l => l.Length > 0);
}
