using Moddock.EndToEnd.Tests.Serve.Support;
using Moddock.Testing;

namespace Moddock.EndToEnd.Tests.Serve;

/// <summary>Hostile request targets against the real server: 400/404/405/414 with a reason, never 500, never a file outside the storage root.</summary>
public sealed class ServeBadRequestTests
{
    private const string Canary = "CANARY-outside-storage-7f3a";

    /// <summary>Targets aimed at files next to the storage root (secret.txt, ../upstream/...) and beyond.</summary>
    public static readonly string[] Corpus =
    [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/example.com/m/@v/../../../secret.txt",
        "/example.com/m/@v/..%2f..%2f..%2fsecret.txt.info",
        "/..%2fsecret.txt/@v/list",
        "/example.com%2f..%2f..%2fsecret.txt/@v/list",
        "/example.com%5c..%5csecret.txt/@v/list",
        "/example.com\\..\\..\\secret.txt/@v/list",
        "/example.com/m%00/@v/list",
        "/example.com/m/@v/v1.0.0.zip%00",
        "//etc/passwd",
        "//secret.txt/@v/list",
        "/example.com//m/@v/list",
        "/example.com/%zz/@v/list",
        "/example.com/m%2/@v/list",
        "/example.com/!!m/@v/list",
        "/example.com/M/@v/list",
        "/example.com/m/@v/v1.0.zip",
        "/example.com/m/@v/v1.0.0.0.mod",
        "/example.com/m/@v/V1.0.0.zip",
        "/example.com/m/@v/..info",
        "/example.com/m/@v/.zip",
        "/secret.txt",
        "/@v/list",
        "/" + new string('a', 5000) + "/@v/list",
        "/example.com/" + string.Join('/', Enumerable.Repeat("x", 2000)) + "/@v/list",
    ];

    [Fact]
    public async Task Corpus_HostileTargets_RejectedWithReasonNeverTouchingOutsideFiles()
    {
        var root = TestEnvironment.NewTempDir("badreq");
        var storage = Path.Combine(root, "storage");
        Directory.CreateDirectory(storage);
        await File.WriteAllTextAsync(Path.Combine(root, "secret.txt"), Canary);
        using var serve = await ServeProcess.StartAsync($"http://127.0.0.1:{FreePort.Next()}", storage);
        var before = Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories).Order().ToList();

        var failures = new List<string>();
        foreach (var target in Corpus)
        {
            foreach (var method in new[] { "GET", "HEAD" })
            {
                var (status, head, body) = await RawHttp.SendAsync(serve.Port, method, target);
                if (status is not (400 or 404 or 414) || body.Contains(Canary, StringComparison.Ordinal) || head.Contains(Canary, StringComparison.Ordinal))
                {
                    failures.Add($"{method} {target[..Math.Min(80, target.Length)]} -> {status} {body}");
                }
            }
        }

        foreach (var method in new[] { "POST", "PUT", "DELETE", "TRACE", "PROPFIND" })
        {
            var (status, head, body) = await RawHttp.SendAsync(serve.Port, method, "/example.com/m/@v/list");
            if (status != 405 || !head.Contains("Allow: GET, HEAD", StringComparison.Ordinal) || body.Length == 0)
            {
                failures.Add($"{method} -> {status} {head}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(Canary, await File.ReadAllTextAsync(Path.Combine(root, "secret.txt")));
        var after = Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories).Where(p => !p.StartsWith(storage, StringComparison.Ordinal)).Order();
        Assert.Equal(before.Where(p => !p.StartsWith(storage, StringComparison.Ordinal)), after);
        Assert.DoesNotContain(serve.Output, l => l.Contains("\"Status\":500", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Corpus_ReasonBodies_AreTextPlain()
    {
        using var serve = await ServeProcess.StartAsync($"http://127.0.0.1:{FreePort.Next()}");

        var (status, head, body) = await RawHttp.SendAsync(serve.Port, "GET", "/%2e%2e/secret.txt");

        Assert.Equal(400, status);
        Assert.Contains("Content-Type: text/plain; charset=utf-8", head, StringComparison.Ordinal);
        Assert.StartsWith("bad request:", body, StringComparison.Ordinal);
    }
}
