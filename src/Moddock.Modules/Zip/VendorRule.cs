using System.Globalization;
using System.Text.RegularExpressions;

namespace Moddock.Modules.Zip;

/// <summary>
/// Which files under vendor directories a module zip leaves out (x/mod zip isVendoredPackage).
/// The rule depends on the `go` line of the root go.mod: from go 1.24 on, vendor/modules.txt is
/// left out and the long-standing offset bug for nested ".../vendor/" (golang.org/issue/37397) is
/// fixed; before, both are kept as they were so that old checksums stay valid.
/// </summary>
internal static partial class VendorRule
{
    /// <summary>True when the go version (the go.mod `go` line, without "go") is 1.24 or later.</summary>
    public static bool IsGo124OrLater(string? goVersion)
    {
        // go/version.Lang + Compare against "go1.24": only the language version counts, and an
        // invalid or missing version compares lower than every valid one.
        if (goVersion is null)
        {
            return false;
        }

        var m = GoVersionPattern().Match(goVersion);
        if (!m.Success)
        {
            return false;
        }

        var major = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var minor = m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
        return major > 1 || (major == 1 && minor >= 24);
    }

    public static bool IsVendored(string name, bool go124)
    {
        if (go124 && name == "vendor/modules.txt")
        {
            return true;
        }

        int i;
        if (name.StartsWith("vendor/", StringComparison.Ordinal))
        {
            i = "vendor/".Length;
        }
        else if (name.IndexOf("/vendor/", StringComparison.Ordinal) is var j and >= 0)
        {
            // Before 1.24 the offset is measured from the start of the name, not from j
            // (golang.org/issue/31562): "pkg/vendor/vendor.go" counts as vendored.
            i = go124 ? j + "/vendor/".Length : "/vendor/".Length;
        }
        else
        {
            return false;
        }

        return name.AsSpan(i).Contains('/');
    }

    // go/version accepts "1", "1.21", "1.21.3", "1.21rc1", "1.21.0-..."-free forms; Lang keeps major.minor.
    [GeneratedRegex(@"^(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?(?:\.(?:0|[1-9][0-9]*)|(?:rc|beta)[1-9][0-9]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex GoVersionPattern();
}
