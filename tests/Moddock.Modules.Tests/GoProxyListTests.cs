namespace Moddock.Modules.Tests;

/// <summary>GOPROXY parsing, following cmd/go's modfetch.proxyList (Go 1.19) rule by rule.</summary>
public sealed class GoProxyListTests
{
    private static IReadOnlyList<ProxyEntry> Parse(string value, string? noProxy = null)
    {
        Assert.True(GoProxyList.TryParse(value, noProxy, out var entries, out var error), error?.Message);
        Assert.Null(error);
        return entries;
    }

    private static string Fail(string value, string? noProxy = null)
    {
        Assert.False(GoProxyList.TryParse(value, noProxy, out var entries, out var error));
        Assert.Empty(entries);
        return error!.Message;
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void TryParse_EmptyOrBlank_GivesGoDefault(string value)
    {
        var entries = Parse(value);
        Assert.Equal([new ProxyEntry(ProxyEntryKind.Url, "https://proxy.golang.org", false), new ProxyEntry(ProxyEntryKind.Direct, null, false)], entries);
    }

    [Fact]
    public void TryParse_SeparatorAfterEntry_SetsItsFallbackMode()
    {
        var entries = Parse("https://a.example | http://b.example/p ,https://c.example|direct");
        Assert.Equal(
            [
                new ProxyEntry(ProxyEntryKind.Url, "https://a.example", true),
                new ProxyEntry(ProxyEntryKind.Url, "http://b.example/p", false),
                new ProxyEntry(ProxyEntryKind.Url, "https://c.example", true),
                new ProxyEntry(ProxyEntryKind.Direct, null, false),
            ],
            entries);
    }

    [Theory]
    [InlineData("direct,https://x.example", ProxyEntryKind.Direct)]
    [InlineData("off|https://x.example", ProxyEntryKind.Off)]
    public void TryParse_DirectOrOff_EndsTheList(string value, ProxyEntryKind kind)
    {
        var entries = Parse(value);
        Assert.Equal([new ProxyEntry(kind, null, false)], entries);
    }

    [Theory]
    [InlineData("proxy.example.com", "https://proxy.example.com")]
    [InlineData("localhost:8080", "https://localhost:8080")]
    [InlineData("corp/proxy", "https://corp/proxy")]
    [InlineData("http://127.0.0.1:3000/mod", "http://127.0.0.1:3000/mod")]
    [InlineData("file:///var/cache/download", "file:///var/cache/download")]
    public void TryParse_SchemeInference_PrependsHttpsOnlyWithoutSchemeOrAbsolutePath(string item, string url)
    {
        Assert.Equal([new ProxyEntry(ProxyEntryKind.Url, url, false)], Parse(item));
    }

    [Theory]
    [InlineData(",")]
    [InlineData(" , | ")]
    public void TryParse_ListWithoutEntries_IsAnError(string value)
    {
        Assert.Equal("GOPROXY list is not the empty string, but contains no entries", Fail(value));
    }

    [Theory]
    [InlineData("noproxy", "invalid proxy URL missing scheme: noproxy")]
    [InlineData("/srv/goproxy", "invalid proxy URL missing scheme: /srv/goproxy")]
    [InlineData("ftp://x.example", "invalid proxy URL scheme (must be https, http, file): ftp://x.example")]
    [InlineData("file://host/cache", "invalid file:// proxy URL with non-path elements: file://host/cache")]
    [InlineData("file:///cache?x=1", "invalid file:// proxy URL with non-path elements: file:///cache?x=1")]
    [InlineData("file:/var/cache", "invalid file:// proxy URL with non-path elements: file:/var/cache")]
    [InlineData("localhost:port", "parse \"https://localhost:port\": invalid port \":port\" after host")]
    public void TryParse_UnsupportedUrl_IsAnErrorNamingIt(string value, string message)
    {
        Assert.Equal(message, Fail(value));
    }

    [Fact]
    public void TryParse_ErrorAboutUrlWithPassword_RedactsThePassword()
    {
        var message = Fail("ftp://user:s3cret@x.example/p");
        Assert.DoesNotContain("s3cret", message, StringComparison.Ordinal);
        Assert.Contains("ftp://user:xxxxx@x.example/p", message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WithGoNoProxy_PutsNoProxyFirstUnlessGoProxyIsDirect()
    {
        Assert.Equal(ProxyEntryKind.NoProxy, Parse("https://p.example", "*.corp.example")[0].Kind);
        Assert.Equal([new ProxyEntry(ProxyEntryKind.Direct, null, false)], Parse("direct", "*.corp.example"));
        Assert.Equal("GOPROXY list is not the empty string, but contains no entries", Fail(",", "*.corp.example"));
    }
}
