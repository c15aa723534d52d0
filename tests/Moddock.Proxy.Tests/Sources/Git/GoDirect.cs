using System.Text;
using System.Text.Json;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Git;

/// <summary>What `go mod download -json` reported for one M@Q.</summary>
internal sealed record GoDownload(string Path, string Query, string? Version, string? Sum, string? GoModSum, string? Error);

/// <summary>
/// The reference: the real go command in direct mode (GOPROXY=direct, GOSUMDB=off), with its own
/// HOME, GOPATH, GOCACHE and GOMODCACHE, reaching the test repositories through DirectExampleHost.
/// </summary>
internal static class GoDirect
{
    public static Dictionary<string, string?> Environment(string temp, string? insecure = null)
    {
        var env = GoCommandEnvironment.Isolated(temp, "direct");
        env["GOINSECURE"] = insecure ?? "";
        env["GOVCS"] = "*:git";
        foreach (var (k, v) in DirectExampleHost.Variables(DirectExampleHost.Root))
        {
            env[k] = v;
        }

        return env;
    }

    /// <summary>One go invocation for all queries; results keyed by "M@Q".</summary>
    public static Dictionary<string, GoDownload> Download(IEnumerable<(string Module, string Query)> queries, string temp)
    {
        var work = System.IO.Path.Combine(temp, "work");
        Directory.CreateDirectory(work);
        var args = new List<string> { "mod", "download", "-json" };
        args.AddRange(queries.Select(q => q.Module + "@" + q.Query));
        var r = ProcessRunner.Run("go", args, work, Environment(temp), timeout: TimeSpan.FromMinutes(2));
        var result = new Dictionary<string, GoDownload>(StringComparer.Ordinal);
        foreach (var e in GoDownloadJson.Parse(r.StdOut))
        {
            var query = e.Query ?? e.Version ?? "";
            result[e.Path + "@" + query] = new GoDownload(e.Path, query, e.Error is null ? e.Version : null, e.Sum, e.GoModSum, e.Error);
        }

        if (result.Count == 0)
        {
            throw new InvalidOperationException("go mod download printed nothing: " + r.StdErr);
        }

        return result;
    }

    /// <summary>`go list -m -versions -retracted -json` (the raw tag list, as a proxy serves it): null when go failed.</summary>
    public static Dictionary<string, string[]?> ListVersions(IEnumerable<string> modules, string temp)
    {
        var work = System.IO.Path.Combine(temp, "work");
        Directory.CreateDirectory(work);
        var args = new List<string> { "list", "-m", "-e", "-versions", "-retracted", "-json" };
        args.AddRange(modules);
        var r = ProcessRunner.Run("go", args, work, Environment(temp), timeout: TimeSpan.FromMinutes(2));
        var result = new Dictionary<string, string[]?>(StringComparer.Ordinal);
        foreach (var doc in ReadAll(r.StdOut))
        {
            var root = doc.RootElement;
            var path = Str(root, "Path") ?? "";
            result[path] = root.TryGetProperty("Error", out _)
                ? null
                : root.TryGetProperty("Versions", out var vs) ? vs.EnumerateArray().Select(v => v.GetString()!).ToArray() : [];
        }

        return result;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Object ? v.GetProperty("Err").GetString() : null : null;

    private static List<JsonDocument> ReadAll(string stdout)
    {
        var docs = new List<JsonDocument>();
        var bytes = Encoding.UTF8.GetBytes(stdout);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            docs.Add(JsonDocument.ParseValue(ref reader));
        }

        return docs;
    }
}
