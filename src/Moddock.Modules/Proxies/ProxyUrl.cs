namespace Moddock.Modules.Proxies;

/// <summary>
/// The checks cmd/go's newProxyRepo makes on a GOPROXY URL: it must parse (net/url), have a scheme, and the scheme
/// must be https, http or file; a file URL may carry nothing but a path. Messages follow Go's, except that a
/// password is always redacted (Go prints it in URL parse errors).
/// </summary>
internal static class ProxyUrl
{
    public static string? Check(string url)
    {
        if (GoUrl.Parse(url, Redact(url), out var scheme, out var pathOnly) is { } parseError)
        {
            return parseError;
        }

        return scheme switch
        {
            "http" or "https" => null,
            "file" => pathOnly ? null : "invalid file:// proxy URL with non-path elements: " + Redact(url),
            "" => "invalid proxy URL missing scheme: " + Redact(url),
            _ => "invalid proxy URL scheme (must be https, http, file): " + Redact(url),
        };
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
