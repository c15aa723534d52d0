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

        // An origin that lists versions but no +incompatible one has dropped them on purpose (cmd/go's coderepo leaves
        // them out once the latest compatible version has a go.mod); a stored one, fetched because a client named it,
        // must not come back through the list: the go command takes "latest" from the list and would pick it.
        var upstreamListsIncompatible = seen.Count == 0 || seen.Any(v => v.EndsWith("+incompatible", StringComparison.Ordinal));
        foreach (var v in stored.Where(v => !v.IsPseudo && !seen.Contains(v.Value)
                     && (upstreamListsIncompatible || !v.Value.EndsWith("+incompatible", StringComparison.Ordinal)))
                 .Order(Comparer<ModuleVersion>.Create(Semver.CompareValues)))
        {
            sb.Append(v.Value).Append('\n');
        }

        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static IReadOnlyList<string> ParseLines(ReadOnlySpan<byte> content) =>
        Encoding.UTF8.GetString(content).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
}
