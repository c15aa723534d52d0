using System.Globalization;
using System.Text.RegularExpressions;
using Moddock.Modules.Text;

namespace Moddock.Modules;

/// <summary>
/// Pseudo-versions (golang.org/x/mod/module pseudo.go): <c>vX.0.0-T-R</c> without a base tag,
/// <c>vX.Y.(Z+1)-0.T-R</c> after release vX.Y.Z, <c>vX.Y.Z-pre.0.T-R</c> after prerelease vX.Y.Z-pre,
/// where T is the UTC commit time as yyyyMMddHHmmss and R the 12-hex-digit revision.
/// </summary>
public static class PseudoVersion
{
    /// <summary>The layout of T, in Go's reference-time notation.</summary>
    public const string TimestampFormat = "yyyyMMddHHmmss";

    // x/mod's pseudoVersionRE with ASCII classes spelled out (Go's \d is ASCII, .NET's is not), matched without backtracking.
    private static readonly Regex Pattern = new(
        @"\Av[0-9]+\.(0\.0-|[0-9]+\.[0-9]+-([^+]*\.)?0\.)[0-9]{14}-[A-Za-z0-9]+(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?\z",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    public static bool IsPseudo(string v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return v.AsSpan().Count('-') >= 2 && Semver.IsValid(v) && Pattern.IsMatch(v);
    }

    /// <summary>Whether v is the zero pseudo-version of its major, <c>vX.0.0-00010101000000-000000000000</c>.</summary>
    public static bool IsZero(string v)
    {
        ArgumentNullException.ThrowIfNull(v);
        var major = Semver.Major(v);
        return v == (major.Length == 0 ? "v0" : major) + ".0.0-00010101000000-000000000000";
    }

    /// <summary>module.PseudoVersion(major, older, t, rev). <paramref name="major"/> "" means v0; an invalid <paramref name="olderBase"/> means "no base".</summary>
    public static string Build(string major, string olderBase, DateTimeOffset commitTime, string rev)
    {
        ArgumentNullException.ThrowIfNull(major);
        ArgumentNullException.ThrowIfNull(olderBase);
        ArgumentNullException.ThrowIfNull(rev);
        if (major.Length == 0)
        {
            major = "v0";
        }

        var segment = commitTime.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture) + "-" + rev;
        var build = Semver.Build(olderBase);
        var older = Semver.Canonical(olderBase);
        if (older.Length == 0)
        {
            return major + ".0.0-" + segment;
        }

        if (Semver.Prerelease(older).Length > 0)
        {
            return older + ".0." + segment + build;
        }

        var i = older.LastIndexOf('.') + 1;
        return older[..i] + IncDecimal(older[i..]) + "-0." + segment + build;
    }

    /// <summary>The tag the pseudo-version was derived from, or "" when it had none.</summary>
    public static bool TryGetBase(string v, out string baseVersion, out ModuleError? error)
    {
        baseVersion = "";
        if (!TryParse(v, out var parsed, out error))
        {
            return false;
        }

        var (b, _, _, build) = parsed;
        var pre = Semver.Prerelease(b);
        if (pre.Length == 0)
        {
            if (build.Length > 0)
            {
                error = Invalid(v, "lacks base version, but has build metadata " + GoQuote.Quote(build));
                return false;
            }

            return true;
        }

        if (pre == "-0")
        {
            // vX.Y.(Z+1)-0.T-R: the base is vX.Y.Z.
            b = b[..^pre.Length];
            var i = b.LastIndexOf('.');
            var patch = DecDecimal(b[(i + 1)..]);
            if (patch.Length == 0)
            {
                error = Invalid(v, $"version before {b} would have negative patch number");
                return false;
            }

            baseVersion = b[..(i + 1)] + patch + build;
            return true;
        }

        // vX.Y.Z-pre.0.T-R: the base is vX.Y.Z-pre.
        baseVersion = b[..^".0".Length] + build;
        return true;
    }

    public static bool TryGetTime(string v, out DateTimeOffset time, out ModuleError? error)
    {
        time = default;
        if (!TryParse(v, out var parsed, out error))
        {
            return false;
        }

        // Go's time.Parse checks every field's range, including the day against the month. Year 0 is valid in
        // Go but not representable in .NET, so it is reported as malformed.
        if (!DateTime.TryParseExact(parsed.Timestamp, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
        {
            error = Invalid(v, "malformed time " + GoQuote.Quote(parsed.Timestamp));
            return false;
        }

        time = new DateTimeOffset(t, TimeSpan.Zero);
        return true;
    }

    public static bool TryGetRev(string v, out string rev, out ModuleError? error)
    {
        rev = "";
        if (!TryParse(v, out var parsed, out error))
        {
            return false;
        }

        rev = parsed.Rev;
        return true;
    }

    private static bool TryParse(string v, out (string Base, string Timestamp, string Rev, string Build) parsed, out ModuleError? error)
    {
        ArgumentNullException.ThrowIfNull(v);
        parsed = default;
        if (!IsPseudo(v))
        {
            error = Invalid(v, "syntax error");
            return false;
        }

        var build = Semver.Build(v);
        var rest = v[..^build.Length];
        var j = rest.LastIndexOf('-');
        var rev = rest[(j + 1)..];
        rest = rest[..j];
        var i = rest.LastIndexOf('-');
        var dot = rest.LastIndexOf('.');
        parsed = dot > i
            ? (rest[..dot], rest[(dot + 1)..], rev, build)   // "vX.Y.Z-pre.0" or "vX.Y.(Z+1)-0"
            : (rest[..i], rest[(i + 1)..], rev, build);      // "vX.0.0"
        error = null;
        return true;
    }

    private static ModuleError Invalid(string v, string reason) =>
        new(ModuleErrorKind.InvalidVersion, ModulePathChecks.InvalidVersion(v, reason, pseudo: true));

    private static string IncDecimal(string s)
    {
        var digits = s.ToCharArray();
        var i = digits.Length - 1;
        for (; i >= 0 && digits[i] == '9'; i--)
        {
            digits[i] = '0';
        }

        if (i >= 0)
        {
            digits[i]++;
            return new string(digits);
        }

        return "1" + new string(digits);
    }

    private static string DecDecimal(string s)
    {
        var digits = s.ToCharArray();
        var i = digits.Length - 1;
        for (; i >= 0 && digits[i] == '0'; i--)
        {
            digits[i] = '9';
        }

        if (i < 0)
        {
            return "";
        }

        if (i == 0 && digits[i] == '1' && digits.Length > 1)
        {
            return new string(digits, 1, digits.Length - 1);
        }

        digits[i]--;
        return new string(digits);
    }
}
