using Moddock.Proxy;
using Moddock.Server.Tests.Support;

namespace Moddock.Server.Tests.Caching;

/// <summary>
/// A zip the memory cache holds as an open handle on its stored file, and that file damaged on disk
/// afterwards (truncated in place, then deleted): the cache must stop answering from the damaged
/// handle and let the resolver, which repairs damaged stored artifacts, answer again. The fake
/// resolver plays that part: when the stored file is not whole, it writes a new copy the way the
/// store commits (a temporary file renamed into place, so a new inode) and answers with it.
/// Run with the hot path on (answered on the socket with sendfile) and off (answered by the
/// endpoint through Kestrel, here because host filtering is configured).
/// </summary>
public sealed class DamagedStoredFileTests
{
    private const string Zip = "/example.com/m/@v/v1.0.0.zip";

    private static async Task<(RunningServer Server, byte[] Zip, string File)> StartAsync(bool hotPath, int zipBytes)
    {
        var server = hotPath
            ? await RunningServer.StartAsync()
            : await RunningServer.StartAsync(configure: s =>
                Microsoft.Extensions.DependencyInjection.OptionsServiceCollectionExtensions.Configure<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>(
                    s, o => o.AllowedHosts = ["127.0.0.1"]));
        var zip = new byte[zipBytes];
        new Random(5).NextBytes(zip);
        var file = Path.Combine(server.Storage, "zip");
        File.WriteAllBytes(file, zip);
        server.Resolver.Answer = r =>
        {
            if (!File.Exists(file) || new FileInfo(file).Length != zip.Length)
            {
                File.WriteAllBytes(file + ".tmp", zip);
                File.Move(file + ".tmp", file, overwrite: true);
            }

            return ResolveResult.Found(new ArtifactContent(file, new FileInfo(file).Length, "x", DateTimeOffset.UnixEpoch, false), CacheStatus.Hit);
        };
        Assert.Equal(hotPath, server.Hot.Installed);
        return (server, zip, file);
    }

    private static void Truncate(string file, long length)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        stream.SetLength(length);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Get_CachedZipTruncatedOnDisk_AnsweredWholeAgainNotCutShort(bool hotPath)
    {
        var (server, zip, file) = await StartAsync(hotPath, 300_000);
        await using var _server = server;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(zip, (await server.SendAsync("GET", Zip)).Body);
        }

        var resolvedBefore = server.Resolver.Requests.Count;
        Truncate(file, 1000);
        var head = await server.SendAsync("HEAD", Zip);
        var afterTruncate = await server.SendAsync("GET", Zip);
        File.Delete(file);
        var afterDelete = await server.SendAsync("GET", Zip);

        Assert.Equal(zip.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Header("Content-Length"));
        Assert.Equal(200, afterTruncate.Status);
        Assert.Equal(zip, afterTruncate.Body);
        Assert.Equal(200, afterDelete.Status);
        Assert.Equal(zip, afterDelete.Body);
        Assert.True(server.Resolver.Requests.Count > resolvedBefore, "the damaged entry was never taken back to the resolver");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Get_CachedZipTruncatedWhileBeingSent_ConnectionCutAndNextRequestWhole(bool hotPath)
    {
        // 32 MiB cannot sit in loopback socket buffers while the client reads nothing (4 KiB receive
        // buffer): once the client has the head, the send is still running when the file shrinks.
        var (server, zip, file) = await StartAsync(hotPath, 32 << 20);
        await using var _server = server;
        Assert.Equal(zip.Length, (await server.SendAsync("GET", Zip)).Body.Length);
        using (var client = await KeepAliveClient.ConnectAsync(server.Port, receiveBuffer: 4096))
        {
            await client.SendAsync(KeepAliveClient.Request("GET", Zip, server.Port));
            await client.ReadHeadAsync();
            Truncate(file, 1000);
            var received = await client.DrainAsync();
            Assert.True(received < zip.Length, $"received {received} of {zip.Length} bytes after the file shrank");
        }

        var next = await server.SendAsync("GET", Zip);

        Assert.Equal(200, next.Status);
        Assert.Equal(zip.Length, next.Body.Length);
        Assert.Equal(zip, next.Body);
    }
}
