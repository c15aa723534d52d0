using System.Text.Json;
using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Serve;

/// <summary>
/// The built CLI with its memory cache and hot path in front of the store: a zip answered from the memory cache
/// (an open handle on its stored file) and then truncated in place on disk, then deleted, is answered whole again,
/// because the cache drops the damaged entry and the resolver refetches the stored file.
/// </summary>
public sealed class ServerMemoryCacheDamageTests
{
    [Fact]
    public async Task Get_CachedZipTruncatedThenDeletedOnDisk_AnsweredWholeEachTime()
    {
        var module = FileLayoutProxy.Big("example.com/damaged", "v1.0.0", 400_000);
        var upstreamRoot = FileLayoutProxy.Write([module]);
        await using var upstream = await UpstreamServer.StartAsync(upstreamRoot);
        using var serve = await ServeProcess.StartAsync(upstream.Url, extraArgs: ["--prefetch", "off"]);
        var target = "/example.com/damaged/@v/v1.0.0.zip";
        var sent = await File.ReadAllBytesAsync(Path.Combine(upstreamRoot, "example.com/damaged/@v/v1.0.0.zip"));
        var stored = Path.Combine(serve.Storage, "example.com/damaged/@v/v1.0.0.zip");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(sent, await http.GetByteArrayAsync(serve.Url + target)); // a miss, then memory hits
        }

        // The miss answers the client while the store commits beside it, so the stored file may not be in place
        // yet when the third answer arrives; a fresh-clone CI run opened it before it was. And the memory cache
        // takes its handle only after the commit (rename, then the directory's fsync): truncated in between,
        // the cache declines the file and the resolver alone finds the damage (another CI run), which is not
        // the path under test. So the file must be whole on disk and held by the cache first.
        await StoredFile.WaitAsync(stored, sent.Length);
        await WaitForCachedFilesAsync(http, serve, 1);
        await using (var shrink = new FileStream(stored, FileMode.Open, FileAccess.Write))
        {
            shrink.SetLength(1000);
        }

        var afterTruncate = await GetAsync(http, serve, target);
        // The damaged copy was discarded and the zip fetched again; delete the new stored copy, once it is in place.
        await StoredFile.WaitAsync(stored, sent.Length);
        File.Delete(stored);
        var afterDelete = await GetAsync(http, serve, target);
        var again = await GetAsync(http, serve, target);

        await serve.WaitForOutputAsync("dropped from the memory cache");

        var context = string.Join('\n', serve.Output);
        Assert.True(sent.SequenceEqual(afterTruncate), "after truncation: " + afterTruncate.Length + " bytes\n" + context);
        Assert.True(sent.SequenceEqual(afterDelete), "after deletion: " + afterDelete.Length + " bytes\n" + context);
        Assert.True(sent.SequenceEqual(again), context);
        Assert.Contains(serve.Output, l => l.Contains("dropped from the memory cache", StringComparison.Ordinal));
    }

    // A failed answer names the server's own account of it.
    private static async Task<byte[]> GetAsync(HttpClient http, ServeProcess serve, string target)
    {
        using var response = await http.GetAsync(serve.Url + target);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}\n" + string.Join('\n', serve.Output));
        return body;
    }

    private static async Task WaitForCachedFilesAsync(HttpClient http, ServeProcess serve, int files)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            using var readyz = JsonDocument.Parse(await http.GetStringAsync(serve.Url + "/readyz"));
            var held = readyz.RootElement.GetProperty("hotPath").GetProperty("openFiles").GetInt32();
            if (held == files)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the memory cache holds {held} files, not {files}");
            await Task.Delay(20);
        }
    }
}
