namespace Moddock.Modules.Versions;

/// <summary>
/// The parsed shape of a Go semantic version (x/mod/semver's <c>parsed</c>), as offsets into the input so that
/// parsing and comparing allocate nothing. <see cref="ShortLength"/> is how many characters of ".0.0" the
/// shorthand forms <c>vX</c> / <c>vX.Y</c> omit.
/// </summary>
internal readonly struct SemverParts
{
    public SemverParts(int majorEnd, int minorStart, int minorEnd, int patchStart, int patchEnd, int shortLength, int prereleaseStart, int buildStart, int length)
    {
        MajorEnd = majorEnd;
        MinorStart = minorStart;
        MinorEnd = minorEnd;
        PatchStart = patchStart;
        PatchEnd = patchEnd;
        ShortLength = shortLength;
        PrereleaseStart = prereleaseStart;
        BuildStart = buildStart;
        Length = length;
    }

    /// <summary>The major number is [1, MajorEnd).</summary>
    public int MajorEnd { get; }

    public int MinorStart { get; }

    public int MinorEnd { get; }

    public int PatchStart { get; }

    public int PatchEnd { get; }

    public int ShortLength { get; }

    /// <summary>Start of "-pre" (its '-' included); equal to <see cref="BuildStart"/> when absent.</summary>
    public int PrereleaseStart { get; }

    /// <summary>Start of "+build" (its '+' included); equal to <see cref="Length"/> when absent.</summary>
    public int BuildStart { get; }

    public int Length { get; }

    public static bool TryParse(ReadOnlySpan<char> v, out SemverParts parts)
    {
        parts = default;
        if (v.IsEmpty || v[0] != 'v')
        {
            return false;
        }

        var majorEnd = ScanInt(v, 1);
        if (majorEnd < 0)
        {
            return false;
        }

        if (majorEnd == v.Length)
        {
            parts = new SemverParts(majorEnd, -1, -1, -1, -1, 4, v.Length, v.Length, v.Length);
            return true;
        }

        if (v[majorEnd] != '.')
        {
            return false;
        }

        var minorEnd = ScanInt(v, majorEnd + 1);
        if (minorEnd < 0)
        {
            return false;
        }

        if (minorEnd == v.Length)
        {
            parts = new SemverParts(majorEnd, majorEnd + 1, minorEnd, -1, -1, 2, v.Length, v.Length, v.Length);
            return true;
        }

        if (v[minorEnd] != '.')
        {
            return false;
        }

        var patchEnd = ScanInt(v, minorEnd + 1);
        if (patchEnd < 0)
        {
            return false;
        }

        var i = patchEnd;
        var preStart = i;
        if (i < v.Length && v[i] == '-')
        {
            i = ScanPrerelease(v, i);
            if (i < 0)
            {
                return false;
            }
        }

        var buildStart = i;
        if (i < v.Length && v[i] == '+')
        {
            i = ScanBuild(v, i);
            if (i < 0)
            {
                return false;
            }
        }

        if (i != v.Length)
        {
            return false;
        }

        parts = new SemverParts(majorEnd, majorEnd + 1, minorEnd, minorEnd + 1, patchEnd, 0, preStart, buildStart, v.Length);
        return true;
    }

    // parseInt: one or more digits, no leading zero unless the number is "0". Returns the end or -1.
    private static int ScanInt(ReadOnlySpan<char> v, int start)
    {
        if (start >= v.Length || !char.IsAsciiDigit(v[start]))
        {
            return -1;
        }

        var i = start + 1;
        while (i < v.Length && char.IsAsciiDigit(v[i]))
        {
            i++;
        }

        return v[start] == '0' && i != start + 1 ? -1 : i;
    }

    private static int ScanPrerelease(ReadOnlySpan<char> v, int start)
    {
        var i = start + 1;
        var identStart = i;
        while (i < v.Length && v[i] != '+')
        {
            var c = v[i];
            if (c == '.')
            {
                if (identStart == i || IsBadNum(v[identStart..i]))
                {
                    return -1;
                }

                identStart = i + 1;
            }
            else if (!IsIdentChar(c))
            {
                return -1;
            }

            i++;
        }

        return identStart == i || IsBadNum(v[identStart..i]) ? -1 : i;
    }

    private static int ScanBuild(ReadOnlySpan<char> v, int start)
    {
        var i = start + 1;
        var identStart = i;
        while (i < v.Length)
        {
            var c = v[i];
            if (c == '.')
            {
                if (identStart == i)
                {
                    return -1;
                }

                identStart = i + 1;
            }
            else if (!IsIdentChar(c))
            {
                return -1;
            }

            i++;
        }

        return identStart == i ? -1 : i;
    }

    private static bool IsIdentChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';

    // A numeric identifier with a leading zero.
    private static bool IsBadNum(ReadOnlySpan<char> s) => s.Length > 1 && s[0] == '0' && Text.AsciiSpan.IsAllDigits(s);
}
