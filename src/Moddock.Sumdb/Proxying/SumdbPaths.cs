using System.Text.RegularExpressions;
using Moddock.Modules;

namespace Moddock.Sumdb.Proxying;

/// <summary>
/// Parsing of the request part after /sumdb/NAME/: "lookup/M@V" with M and V escaped (Go's server regexp
/// <c>^[^@]+@v[0-9]+\.[0-9]+\.[0-9]+(-[^@]*)?(\+incompatible)?$</c>, then module.UnescapePath/UnescapeVersion).
/// The go command sends '!' literally here, but a percent-encoded one is accepted too.
/// </summary>
internal static partial class SumdbPaths
{
    [GeneratedRegex(@"^[^@]+@v[0-9]+\.[0-9]+\.[0-9]+(-[^@]*)?(\+incompatible)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ModVer();

    public static bool TryParseLookup(string rest, out ModulePath path, out ModuleVersion version, out string? error)
    {
        path = default;
        version = default;
        var mv = rest["lookup/".Length..].Replace("%21", "!", StringComparison.OrdinalIgnoreCase);
        if (mv.Length > 1024 || !ModVer().IsMatch(mv))
        {
            error = "invalid module@version syntax";
            return false;
        }

        var at = mv.IndexOf('@', StringComparison.Ordinal);
        if (!ModulePath.TryUnescape(mv[..at], out path, out var pe))
        {
            error = "invalid module path: " + pe!.Message;
            return false;
        }

        if (!ModuleVersion.TryUnescape(mv[(at + 1)..], out version, out var ve))
        {
            error = "invalid version: " + ve!.Message;
            return false;
        }

        error = null;
        return true;
    }
}
