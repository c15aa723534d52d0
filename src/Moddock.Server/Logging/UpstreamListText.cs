namespace Moddock.Server.Logging;

/// <summary>
/// The --upstream list as it may appear in a log: every entry's password masked as the proxy shows it
/// (<c>user:xxxxx@</c>, UpstreamEndpoint), and a user name given without a password masked whole, since that is
/// where a URL carries a bare token (<c>https://TOKEN@host</c>). The ',' and '|' separators are kept.
/// </summary>
internal static class UpstreamListText
{
    private const string Mask = "xxxxx";

    public static string Redact(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var text = new System.Text.StringBuilder(list.Length);
        var start = 0;
        for (var i = 0; i <= list.Length; i++)
        {
            if (i == list.Length || list[i] is ',' or '|')
            {
                text.Append(RedactEntry(list[start..i]));
                if (i < list.Length)
                {
                    text.Append(list[i]);
                }

                start = i + 1;
            }
        }

        return text.ToString();
    }

    private static string RedactEntry(string entry)
    {
        var scheme = entry.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return entry; // direct, off, or not a URL (start-up validation already refused those)
        }

        var authorityStart = scheme + 3;
        var authorityEnd = entry.IndexOfAny(['/', '?', '#'], authorityStart);
        var authority = authorityEnd < 0 ? entry[authorityStart..] : entry[authorityStart..authorityEnd];
        var at = authority.LastIndexOf('@');
        if (at < 0)
        {
            return entry;
        }

        var userinfo = authority[..at];
        var colon = userinfo.IndexOf(':', StringComparison.Ordinal);
        var masked = colon < 0 ? Mask : userinfo[..colon] + ":" + Mask;
        return entry[..authorityStart] + masked + entry[(authorityStart + at)..];
    }
}
