using System.Text.RegularExpressions;

namespace Moddock.Doctor.Reporting;

/// <summary>
/// Removes secrets from anything the doctor prints: passwords in URL userinfo (redacted the way Go's
/// url.Redacted does, keeping the user name), netrc passwords, bearer/basic credentials and well-known
/// token shapes. Every string of a report passes through here on its way out.
/// </summary>
internal static partial class SecretRedactor
{
    public const string Mask = "xxxxx";

    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? string.Empty;
        }

        var s = UserInfo().Replace(text, m => m.Groups["scheme"].Value + m.Groups["user"].Value + (m.Groups["pw"].Success ? ":" + Mask : string.Empty) + "@");
        s = NetrcPassword().Replace(s, m => m.Groups[1].Value + Mask);
        s = AuthHeader().Replace(s, m => m.Groups[1].Value + Mask);
        s = KeyValueSecret().Replace(s, m => m.Groups[1].Value + Mask);
        s = KnownToken().Replace(s, Mask);
        return s;
    }

    // scheme://user[:password]@host: a user name alone can be a token too (https://TOKEN@github.com), so
    // long user names without a password are masked as well.
    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?<user>[^\s:/@""']*)(?::(?<pw>[^\s/@""']*))?@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"(\bpassword\s+)\S+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NetrcPassword();

    [GeneratedRegex(@"(\b(?:Authorization|Proxy-Authorization):\s*(?:Basic|Bearer|token)?\s*)\S+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AuthHeader();

    [GeneratedRegex(@"(\b(?:password|passwd|token|secret|access_token|api[_-]?key)=)[^\s&;'""]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex KeyValueSecret();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_\-]{20,}|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9\-]{10,})", RegexOptions.CultureInvariant)]
    private static partial Regex KnownToken();
}
