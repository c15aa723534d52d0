using Moddock.Modules;
using Moddock.Server.Auth;
using Moddock.Server.Configuration;

namespace Moddock.Server.Tests.Support;

/// <summary>The options of a test host: the given listen address and upstream list, no private paths, no checksum database.</summary>
internal static class TestServeOptions
{
    public static ServeOptions Create(
        int port,
        string storage,
        string upstream = "off",
        string? tlsCert = null,
        string? tlsKey = null,
        long memoryCacheBytes = ServeDefaults.MemoryCacheBytes,
        ClientAuthOptions? auth = null)
    {
        GoProxyList.TryParse(upstream, out var entries, out _);
        return new ServeOptions
        {
            Listen = new ListenAddress("127.0.0.1", port),
            Storage = storage,
            UpstreamText = upstream,
            Upstreams = entries,
            Private = PathPatterns.Parse(""),
            Insecure = PathPatterns.Parse(""),
            NoSumdb = PathPatterns.Parse(""),
            Sumdb = "off",
            TlsCert = tlsCert,
            TlsKey = tlsKey,
            MemoryCacheBytes = memoryCacheBytes,
            Auth = auth,
        };
    }
}
