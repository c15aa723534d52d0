using System.Net.Http.Headers;
using System.Text;

namespace Moddock.Proxy.Sources.Upstream;

/// <summary>
/// An upstream proxy URL split into what is sent (base URI, Basic credentials from its userinfo, as the go
/// command does) and what is shown (the URL with its password redacted, like Go's url.Redacted).
/// </summary>
internal sealed class UpstreamEndpoint
{
    private UpstreamEndpoint(Uri baseUri, string name, AuthenticationHeaderValue? authorization)
    {
        BaseUri = baseUri;
        Name = name;
        Authorization = authorization;
    }

    /// <summary>The URL without userinfo, ending in '/'.</summary>
    public Uri BaseUri { get; }

    /// <summary>The URL for logs and answers: <c>https://user:xxxxx@host/path</c>.</summary>
    public string Name { get; }

    public AuthenticationHeaderValue? Authorization { get; }

    public static UpstreamEndpoint Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"upstream must be an http or https URL: {Redact(url)}", nameof(url));
        }

        AuthenticationHeaderValue? auth = null;
        var name = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            var user = Uri.UnescapeDataString(parts[0]);
            var password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
            auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
            var stripped = new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
            name = stripped.GetLeftPart(UriPartial.Path).TrimEnd('/');
            name = name.Insert(name.IndexOf("://", StringComparison.Ordinal) + 3, parts[0] + (parts.Length > 1 ? ":xxxxx" : "") + "@");
            uri = stripped;
        }

        var baseText = uri.GetLeftPart(UriPartial.Path);
        if (!baseText.EndsWith('/'))
        {
            baseText += "/";
        }

        return new UpstreamEndpoint(new Uri(baseText), name, auth);
    }

    /// <summary>Redacts a password in any URL-ish text, for error messages about unparsable values.</summary>
    public static string Redact(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var at = url.IndexOf('@', StringComparison.Ordinal);
        if (scheme < 0 || at < scheme)
        {
            return url;
        }

        var userinfo = url[(scheme + 3)..at];
        var colon = userinfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? url : url[..(scheme + 3)] + userinfo[..colon] + ":xxxxx" + url[at..];
    }

    public override string ToString() => Name;
}
