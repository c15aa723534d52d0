using System.Text;
using Moddock.Modules;

namespace Moddock.Proxy.Resolution;

/// <summary>
/// The <c>@v/list</c> answer, derived afresh each time from the last upstream answer plus the versions in
/// the store, never read-modified-written. Pseudo-versions from the store are left out, as proxies do
/// (the go command drops them from lists anyway).
/// </summary>
internal static class VersionList
{
    public static byte[] Derive(IReadOnlyList<string> upstreamLines, IReadOnlyList<ModuleVersion> stored)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var sb = new StringBuilder();
        foreach (var line in upstreamLines)
        {
            var version = line.Split(' ', 2)[0];
            if (version.Length > 0 && seen.Add(version))
            {
                sb.Append(line).Append('\n');
            }
        }

        foreach (var v in stored.Where(v => !v.IsPseudo && !seen.Contains(v.Value)).Order(Comparer<ModuleVersion>.Create(Semver.CompareValues)))
        {
            sb.Append(v.Value).Append('\n');
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static IReadOnlyList<string> ParseLines(ReadOnlySpan<byte> content) =>
        Encoding.UTF8.GetString(content).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
}
