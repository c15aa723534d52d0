using System.Text.RegularExpressions;

namespace Moddock.Server.Configuration;

/// <summary>
/// Masks credentials in URLs inside free text (a setting's value, a parser's message about it), for text that
/// leaves the process: start-up problems go to stderr, and so to CI logs and the journal. A password becomes
/// <c>xxxxx</c> after its user name, as the proxy shows upstreams (UpstreamEndpoint); a user name without a
/// password is masked whole, since that is where a URL carries a bare token (<c>https://TOKEN@host</c>).
/// </summary>
internal static partial class UrlCredentials
{
    private const string Mask = "xxxxx";

    public static string Redact(string text) =>
        UserInfo().Replace(text, m => "://" + (m.Groups["password"].Success ? m.Groups["user"].Value + ":" + Mask : Mask) + "@");

    // scheme "://" then userinfo up to the last '@' of the authority (a password may hold a raw '@'): no '/', '?',
    // '#', whitespace or quotes, and no ',' or '|' (GOPROXY list separators), so an entry never swallows the next.
    [GeneratedRegex("""://(?<user>[^/?#:\s"',|]*?)(?::(?<password>[^/?#\s"',|]*))?@(?=[^/?#\s"',|@]*(?:[/?#\s"',|]|$))""")]
    private static partial Regex UserInfo();
}
