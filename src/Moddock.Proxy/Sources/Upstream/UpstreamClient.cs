using System.Net;

namespace Moddock.Proxy.Sources.Upstream;

/// <summary>The one HTTP handler all upstreams share (connection pools are per host inside it).</summary>
internal static class UpstreamClient
{
    public static HttpMessageInvoker Create(UpstreamOptions options) =>
        new(
            new SocketsHttpHandler
            {
                ConnectTimeout = options.ConnectTimeout,

                // Proxy == null: HttpClient.DefaultProxy, i.e. HTTPS_PROXY / HTTP_PROXY / NO_PROXY on Linux.
                UseProxy = true,
                Proxy = options.Proxy,
                AllowAutoRedirect = true,
                MaxAutomaticRedirections = 10, // the go command follows up to 10 redirects
                AutomaticDecompression = DecompressionMethods.None, // bytes are stored and served unchanged
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            },
            disposeHandler: true);
}
