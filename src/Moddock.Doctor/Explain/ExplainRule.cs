using System.Text.RegularExpressions;

namespace Moddock.Doctor.Explain;

/// <summary>
/// One pattern of go command output and the cause it names. <see cref="Anchors"/> are literals one of which
/// must occur in the line before the regex runs, so a 100 MB log costs a few vectorised scans per line.
/// <see cref="Depth"/> orders causes of one failure: the deepest wins (a refused TCP connection under
/// a checksum-database lookup is tcp.refused).
/// </summary>
internal sealed record ExplainRule(string Cause, int Depth, IReadOnlyList<string> Anchors, Regex Pattern, string? Where = null)
{
    public bool Matches(string line)
    {
        foreach (var a in Anchors)
        {
            if (line.Contains(a, StringComparison.Ordinal))
            {
                return Pattern.IsMatch(line);
            }
        }

        return false;
    }
}
