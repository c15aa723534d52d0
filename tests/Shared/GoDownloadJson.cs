using System.Text;
using System.Text.Json;

namespace Moddock.Testing;

/// <summary>One object of `go mod download -json` output (cmd/go's moduleJSON): Error is its string form.</summary>
internal sealed record GoDownloadEntry(string Path, string? Query, string? Version, string? Sum, string? GoModSum, string? Error)
{
    /// <summary>The key the tests index by: "M@Q" for a query, "M@V" otherwise.</summary>
    public string Key => Path + "@" + (Query ?? Version);
}

/// <summary>Reads the go command's `-json` output: a stream of JSON objects, one after another.</summary>
internal static class GoDownloadJson
{
    public static List<GoDownloadEntry> Parse(string stdout)
    {
        var entries = new List<GoDownloadEntry>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(stdout), new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            using var doc = JsonDocument.ParseValue(ref reader);
            var e = doc.RootElement;
            string? S(string n) => e.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            entries.Add(new GoDownloadEntry(S("Path") ?? "", S("Query"), S("Version"), S("Sum"), S("GoModSum"), S("Error")));
        }

        return entries;
    }

    /// <summary>The entries by <see cref="GoDownloadEntry.Key"/> (a later duplicate wins).</summary>
    public static Dictionary<string, GoDownloadEntry> ByKey(string stdout)
    {
        var byKey = new Dictionary<string, GoDownloadEntry>(StringComparer.Ordinal);
        foreach (var e in Parse(stdout))
        {
            byKey[e.Key] = e;
        }

        return byKey;
    }
}
