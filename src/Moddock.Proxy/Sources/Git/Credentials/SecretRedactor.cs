using System.Text.RegularExpressions;

namespace Moddock.Proxy.Sources.Git.Credentials;

/// <summary>
/// Removes every configured secret and any URL userinfo from text that may reach a log, an error
/// body or /readyz. git prints remote URLs (with user:password@ when a URL carries them) in its errors.
/// </summary>
internal sealed partial class SecretRedactor
{
    private readonly string[] _secrets;

    public SecretRedactor(IEnumerable<string> secrets)
    {
        // Longest first, so a secret that contains another is removed whole.
        _secrets = secrets.Where(s => s.Length >= 4).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToArray();
    }

    public static SecretRedactor None { get; } = new([]);

    public string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var s in _secrets)
        {
            text = text.Replace(s, "***", StringComparison.Ordinal);
        }

        text = UserInfo().Replace(text, "://***@");
        return AuthHeader().Replace(text, "Authorization: ***");
    }

    [GeneratedRegex(@"://[^/@\s]+@")]
    private static partial Regex UserInfo();

    [GeneratedRegex(@"Authorization:\s*\S+(\s+\S+)?", RegexOptions.IgnoreCase)]
    private static partial Regex AuthHeader();
}
