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

    [Theory]
    [InlineData("POST", "/healthz")]
    [InlineData("DELETE", "/readyz")]
    [InlineData("PUT", "/readyz")]
    public async Task HealthPaths_MethodOtherThanGetOrHead_405WithAllowAndReason(string method, string path)
    {
        await using var server = await RunningServer.StartAsync();

        var r = await server.SendAsync(method, path);

        Assert.Equal(405, r.Status);
        Assert.Equal("GET, HEAD", r.Header("Allow"));
        Assert.Equal("text/plain; charset=utf-8", r.Header("Content-Type"));
        Assert.Contains(method, r.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_Head_SameContentLengthAsGetAndNoBody()
    {
        await using var server = await RunningServer.StartAsync();

        var get = await server.SendAsync("GET", "/healthz");
        var head = await server.SendAsync("HEAD", "/healthz");

        Assert.Equal("3", get.Header("Content-Length"));
        Assert.Equal(get.Header("Content-Length"), head.Header("Content-Length"));
        Assert.Empty(head.Body);
    }

    [Fact]
    public async Task Readyz_GetAndHead_SayTheirContentLength()
    {
        // The counters in the report move between two requests, so each answer is checked against itself.
        await using var server = await RunningServer.StartAsync();

        var get = await server.SendAsync("GET", "/readyz");
        var head = await server.SendAsync("HEAD", "/readyz");

        Assert.Equal(get.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), get.Header("Content-Length"));
        Assert.True(int.Parse(head.Header("Content-Length")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Empty(head.Body);
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
