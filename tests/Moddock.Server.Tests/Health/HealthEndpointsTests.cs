using System.Text.Json;
using Moddock.Server.Tests.Support;
using Moddock.Testing;

namespace Moddock.Server.Tests.Health;

public sealed class HealthEndpointsTests
{
    [Fact]
    public async Task Healthz_Running_Is200()
    {
        await using var server = await RunningServer.StartAsync();

        var r = await server.SendAsync("GET", "/healthz");

        Assert.Equal(200, r.Status);
        Assert.Equal("ok\n", r.Text);
    }

    [Fact]
    public async Task Readyz_WritableStorage_ListsUpstreamsWithoutSecrets()
    {
        await using var server = await RunningServer.StartAsync();

        var r = await server.SendAsync("GET", "/readyz");

        Assert.Equal(200, r.Status);
        Assert.Equal("application/json", r.Header("Content-Type"));
        using var json = JsonDocument.Parse(r.Body);
        Assert.True(json.RootElement.GetProperty("ready").GetBoolean());
        Assert.True(json.RootElement.GetProperty("storage").GetProperty("writable").GetBoolean());
        var upstreams = json.RootElement.GetProperty("upstreams").EnumerateArray().ToList();
        Assert.Equal(["http://127.0.0.1:1/up1", "https://mirror.example/", "direct"], upstreams.Select(u => u.GetProperty("name").GetString()));
        Assert.Equal("any-error", upstreams[0].GetProperty("fallback").GetString());
        Assert.DoesNotContain("secret", r.Text, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(server.Storage, ".readyz*"));
    }

    [Fact]
    public async Task Readyz_StorageIsAFile_Is503WithProblem()
    {
        var file = Path.Combine(TestEnvironment.NewTempDir("readyz"), "not-a-dir");
        await File.WriteAllTextAsync(file, "x");
        await using var server = await RunningServer.StartAsync(storage: file);

        var r = await server.SendAsync("GET", "/readyz");

        Assert.Equal(503, r.Status);
        using var json = JsonDocument.Parse(r.Body);
        Assert.False(json.RootElement.GetProperty("storage").GetProperty("writable").GetBoolean());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("storage").GetProperty("problem").GetString()));
    }
}
