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

        var s = UserInfo().Replace(text, m => m.Groups["scheme"].Value + UserOrToken(m.Groups["user"].Value, m.Groups["pw"].Success) + (m.Groups["pw"].Success ? ":" + MaskUnlessPlaceholder(m.Groups["pw"].Value) : string.Empty) + "@");
        s = NetrcPassword().Replace(s, m => m.Groups[1].Value + MaskUnlessPlaceholder(m.Groups[2].Value) + m.Groups[3].Value);
        s = AuthHeader().Replace(s, m => m.Groups[1].Value + Mask);
        s = KeyValueSecret().Replace(s, m => m.Groups[1].Value + Mask);
        s = KnownToken().Replace(s, Mask);
        return s;
    }

    /// <summary>
    /// A URL to print inside a fix: redacted, and a masked password turned into the PASSWORD placeholder, so the
    /// command asks for the credential instead of copying the mask (Moddock's /readyz and the go command mask it too).
    /// </summary>
    public static string ForFix(string url) => Redact(url).Replace(":" + Mask + "@", ":PASSWORD@", StringComparison.Ordinal);

    // The fixes name credentials as the placeholders PASSWORD and TOKEN for the person to fill in; masking
    // them would print a fix nobody can copy (`USER:xxxxx@`).
    // A user name with no password is a token when it is long (https://TOKEN@host); git, oauth2 or a person's
    // name stay, as in Go's url.Redacted.
    private static string UserOrToken(string user, bool hasPassword) => !hasPassword && user.Length >= 16 ? Mask : user;

    private static string MaskUnlessPlaceholder(string value) => value is "PASSWORD" or "TOKEN" ? value : Mask;

    // scheme://user[:password]@host: a user name alone can be a token too (https://TOKEN@github.com), so
    // long user names without a password are masked as well.
    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?<user>[^\s:/@""']*)(?::(?<pw>[^\s/@""']*))?@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    // The password runs to the next space; a quote right before that space closes the text around it (a
    // shell command in a fix or a log line), so it stays.
    [GeneratedRegex(@"(\bpassword\s+)(\S+?)(['""]?)(?=\s|$)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NetrcPassword();

    [GeneratedRegex(@"(\b(?:Authorization|Proxy-Authorization):\s*(?:Basic|Bearer|token)?\s*)\S+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AuthHeader();

    [GeneratedRegex(@"(\b(?:password|passwd|token|secret|access_token|api[_-]?key)=)[^\s&;'""]+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex KeyValueSecret();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_\-]{20,}|AKIA[0-9A-Z]{16}|xox[abprs]-[A-Za-z0-9\-]{10,})", RegexOptions.CultureInvariant)]
    private static partial Regex KnownToken();
}
