using System.Text;

namespace Moddock.Modules.Zip;

/// <summary>
/// A key with FoldKey(s) == FoldKey(t) iff Go's strings.EqualFold(s, t) (x/mod zip's strToFold).
/// Go folds along unicode.SimpleFold orbits; .NET has no case-folding table, so each rune maps to
/// lower(upper(r)), which joins the same orbits (k/K/Kelvin sign, s/S/long s, sigma forms) except the
/// Turkic dotted/dotless i, which Go keeps apart and which are therefore kept as themselves.
/// </summary>
internal static class CaseFold
{
    public static string FoldKey(string s)
    {
        var fast = true;
        foreach (var c in s)
        {
            if (c >= 0x80 || c is >= 'A' and <= 'Z')
            {
                fast = false;
                break;
            }
        }

        if (fast)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        foreach (var r in s.EnumerateRunes())
        {
            sb.Append(Fold(r).ToString());
        }

        return sb.ToString();
    }

    private static Rune Fold(Rune r)
    {
        if (r.Value is 0x130 or 0x131)
        {
            return r;
        }

        return Rune.ToLowerInvariant(Rune.ToUpperInvariant(r));
    }
}
