using Moddock.Modules.Versions;

namespace Moddock.Modules;

/// <summary>
/// golang.org/x/mod/semver with the same semantics: a leading "v" is required, "vX" and "vX.Y" are shorthands
/// for "vX.0.0" and "vX.Y.0", invalid versions compare lower than valid ones and equal to each other, and build
/// metadata never takes part in a comparison. Parsing and comparing do not allocate.
/// </summary>
public static class Semver
{
    /// <summary>semver.Sort order: by <see cref="Compare"/>, ties broken by ordinal string order.</summary>
    public static IComparer<string> ByVersion { get; } = Comparer<string>.Create(static (a, b) =>
    {
        var c = Compare(a, b);
        return c != 0 ? c : string.CompareOrdinal(a, b);
    });

    public static bool IsValid(string v) => SemverParts.TryParse(v, out _);

    /// <summary>The canonical form ("v1.2" → "v1.2.0", build metadata dropped), or "" if invalid.</summary>
    public static string Canonical(string v)
    {
        if (!SemverParts.TryParse(v, out var p))
        {
            return "";
        }

        if (p.BuildStart < p.Length)
        {
            return v[..p.BuildStart];
        }

        return p.ShortLength switch
        {
            4 => v + ".0.0",
            2 => v + ".0",
            _ => v,
        };
    }

    /// <summary>"v2.1.0" → "v2"; "" if invalid.</summary>
    public static string Major(string v) => SemverParts.TryParse(v, out var p) ? v[..p.MajorEnd] : "";

    /// <summary>"v2.1.0" → "v2.1", "v2" → "v2.0"; "" if invalid.</summary>
    public static string MajorMinor(string v)
    {
        if (!SemverParts.TryParse(v, out var p))
        {
            return "";
        }

        return p.MinorStart < 0 ? v + ".0" : v[..p.MinorEnd];
    }

    /// <summary>The prerelease part including its '-', or "".</summary>
    public static string Prerelease(string v) =>
        SemverParts.TryParse(v, out var p) ? v[p.PrereleaseStart..p.BuildStart] : "";

    /// <summary>The build part including its '+', or "".</summary>
    public static string Build(string v) => SemverParts.TryParse(v, out var p) ? v[p.BuildStart..] : "";

    public static int Compare(string a, string b) => Compare(a.AsSpan(), b.AsSpan());

    public static int Compare(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var okA = SemverParts.TryParse(a, out var pa);
        var okB = SemverParts.TryParse(b, out var pb);
        if (!okA || !okB)
        {
            return okA == okB ? 0 : okA ? 1 : -1;
        }

        var c = CompareInt(a[1..pa.MajorEnd], b[1..pb.MajorEnd]);
        if (c != 0)
        {
            return c;
        }

        c = CompareInt(Minor(a, pa), Minor(b, pb));
        if (c != 0)
        {
            return c;
        }

        c = CompareInt(Patch(a, pa), Patch(b, pb));
        if (c != 0)
        {
            return c;
        }

        return ComparePrerelease(a[pa.PrereleaseStart..pa.BuildStart], b[pb.PrereleaseStart..pb.BuildStart]);
    }

    public static int CompareValues(ModuleVersion a, ModuleVersion b) => Compare(a.Value, b.Value);

    internal static bool TryParse(ReadOnlySpan<char> v, out SemverParts parts) => SemverParts.TryParse(v, out parts);

    private static ReadOnlySpan<char> Minor(ReadOnlySpan<char> v, SemverParts p) => p.MinorStart < 0 ? "0" : v[p.MinorStart..p.MinorEnd];

    private static ReadOnlySpan<char> Patch(ReadOnlySpan<char> v, SemverParts p) => p.PatchStart < 0 ? "0" : v[p.PatchStart..p.PatchEnd];

    // Numbers have no leading zeros, so a longer number is larger.
    private static int CompareInt(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        if (x.Length != y.Length)
        {
            return x.Length < y.Length ? -1 : 1;
        }

        return Math.Sign(x.SequenceCompareTo(y));
    }

    // SemVer 2.0 §11: a version without prerelease is higher; identifiers compare numerically when both are
    // numbers, numbers sort before words, words compare in ASCII order, and a longer list wins a tie.
    private static int ComparePrerelease(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
    {
        if (x.SequenceEqual(y))
        {
            return 0;
        }

        if (x.IsEmpty)
        {
            return 1;
        }

        if (y.IsEmpty)
        {
            return -1;
        }

        while (!x.IsEmpty && !y.IsEmpty)
        {
            x = x[1..];
            y = y[1..];
            var dx = NextIdent(ref x);
            var dy = NextIdent(ref y);
            if (dx.SequenceEqual(dy))
            {
                continue;
            }

            var ix = Text.AsciiSpan.IsAllDigits(dx);
            var iy = Text.AsciiSpan.IsAllDigits(dy);
            if (ix != iy)
            {
                return ix ? -1 : 1;
            }

            if (ix && dx.Length != dy.Length)
            {
                return dx.Length < dy.Length ? -1 : 1;
            }

            return dx.SequenceCompareTo(dy) < 0 ? -1 : 1;
        }

        return x.IsEmpty ? -1 : 1;
    }

    private static ReadOnlySpan<char> NextIdent(ref ReadOnlySpan<char> x)
    {
        var i = x.IndexOf('.');
        if (i < 0)
        {
            i = x.Length;
        }

        var ident = x[..i];
        x = x[i..];
        return ident;
    }
}
