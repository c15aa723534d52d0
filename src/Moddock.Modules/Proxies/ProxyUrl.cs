namespace Moddock.Modules.Proxies;

/// <summary>
/// The checks cmd/go's newProxyRepo makes on a GOPROXY URL: it must parse, have a scheme, and the scheme must
/// be https, http or file; a file URL may carry nothing but a path. Messages follow Go's and redact passwords.
/// </summary>
internal static class ProxyUrl
{
    public static string? Check(string url)
    {
        foreach (var c in url)
        {
            if (c < 0x20 || c == 0x7F)
            {
                return $"parse {Text.GoQuote.Quote(Redact(url))}: net/url: invalid control character in URL";
            }
        }

        var scheme = Scheme(url);
        if (scheme is null)
        {
            return $"parse {Text.GoQuote.Quote(Redact(url))}: missing protocol scheme";
        }

        switch (scheme.ToLowerInvariant())
        {
            case "":
                return "invalid proxy URL missing scheme: " + Redact(url);
            case "http" or "https":
                return Uri.TryCreate(url, UriKind.Absolute, out _) ? null : $"invalid proxy URL: {Redact(url)}";
            case "file":
                return IsPathOnly(url[(scheme.Length + 1)..]) ? null : "invalid file:// proxy URL with non-path elements: " + Redact(url);
            default:
                return "invalid proxy URL scheme (must be https, http, file): " + Redact(url);
        }
    }

    /// <summary>url.getScheme: "" when there is no scheme, null when the URL starts with ':'.</summary>
    private static string? Scheme(string url)
    {
        for (var i = 0; i < url.Length; i++)
        {
            var c = url[i];
            if (char.IsAsciiLetter(c))
            {
                continue;
            }

            if (char.IsAsciiDigit(c) || c is '+' or '-' or '.')
            {
                if (i == 0)
                {
                    return "";
                }

                continue;
            }

            if (c == ':')
            {
                return i == 0 ? null : url[..i];
            }

            return "";
        }

        return "";
    }

    // After "file:": a path ("/p"), or an empty authority before it ("///p", "//"); no query, fragment or opaque part.
    private static bool IsPathOnly(string rest)
    {
        if (rest.Contains('?', StringComparison.Ordinal) || rest.Contains('#', StringComparison.Ordinal))
        {
            return false;
        }

        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var authorityEnd = rest.IndexOf('/', 2);
            var authority = authorityEnd < 0 ? rest[2..] : rest[2..authorityEnd];
            return authority.Length == 0;
        }

        return rest.Length == 0 || rest.StartsWith('/');
    }

    /// <summary>url.URL.Redacted: a password in the user info is shown as "xxxxx".</summary>
    internal static string Redact(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return url;
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        var at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        if (at < 0)
        {
            return url;
        }

        var colon = url.IndexOf(':', authorityStart, at - authorityStart);
        return colon < 0 ? url : url[..(colon + 1)] + "xxxxx" + url[at..];
    }
}
