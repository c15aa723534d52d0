using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Moddock.Server.Logging;
using Moddock.Testing;

namespace Moddock.Server.Tests.Logging;

public sealed class JsonLineLoggerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 23, 59, 58, 123, TimeSpan.Zero);

    /// <summary>Runs <paramref name="log"/> against a provider over a memory stream and returns the lines written by the time it is disposed.</summary>
    private static string[] Lines(Action<JsonLineLoggerProvider> log)
    {
        var output = new MemoryStream();
        var provider = new JsonLineLoggerProvider(output, new ManualTimeProvider(Now));
        log(provider);
        provider.Dispose();
        return Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void Log_RequestLine_IsOneJsonObjectInTheConsoleFormatterShape()
    {
        var lines = Lines(p => RequestLog.Request(p.CreateLogger("Moddock.Server.Endpoints.ModuleEndpoint"), "GET", "example.com/m", "v1.0.0", "Zip", "hit", null, 200, 0.25));

        using var json = JsonDocument.Parse(Assert.Single(lines));
        var root = json.RootElement;
        Assert.Equal("2026-11-21T23:59:58.123Z", root.GetProperty("Timestamp").GetString());
        Assert.Equal(1, root.GetProperty("EventId").GetInt32());
        Assert.Equal("Information", root.GetProperty("LogLevel").GetString());
        Assert.Equal("Moddock.Server.Endpoints.ModuleEndpoint", root.GetProperty("Category").GetString());
        Assert.Equal("GET example.com/m v1.0.0 Zip cache=hit upstream= status=200 duration_ms=0.25", root.GetProperty("Message").GetString());
        var state = root.GetProperty("State");
        Assert.Equal("example.com/m", state.GetProperty("Module").GetString());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("Upstream").ValueKind);
        Assert.Equal(200, state.GetProperty("Status").GetInt32());
        Assert.Equal(0.25, state.GetProperty("DurationMs").GetDouble());
        Assert.False(state.TryGetProperty("{OriginalFormat}", out _));
    }

    [Fact]
    public void Log_WithException_WritesItsTextAndEscapesNewlines()
    {
        var lines = Lines(p => RequestLog.ResolverFailed(p.CreateLogger("c"), new InvalidOperationException("line one\nline two \"quoted\""), "example.com/m", "Info", "v1.0.0"));

        using var json = JsonDocument.Parse(Assert.Single(lines));
        Assert.Equal("Error", json.RootElement.GetProperty("LogLevel").GetString());
        Assert.Contains("line one\nline two \"quoted\"", json.RootElement.GetProperty("Exception").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Log_ManyThreadsAtOnce_EveryLineWrittenWholeByDispose()
    {
        const int threads = 8, perThread = 2000;
        var lines = Lines(p =>
        {
            var logger = p.CreateLogger("c");
            Task.WaitAll([.. Enumerable.Range(0, threads).Select(t => Task.Run(() =>
            {
                for (var i = 0; i < perThread; i++)
                {
                    RequestLog.Request(logger, "GET", $"example.com/t{t}", $"v1.0.{i}", "Info", "hit", null, 200, i);
                }
            }))]);
        });

        Assert.Equal(threads * perThread, lines.Length);
        var seen = lines.Select(l =>
        {
            using var json = JsonDocument.Parse(l);
            var s = json.RootElement.GetProperty("State");
            return s.GetProperty("Module").GetString() + "@" + s.GetProperty("Version").GetString();
        }).ToHashSet();
        Assert.Equal(threads * perThread, seen.Count);
    }

    [Fact]
    public void CreateLogger_SameCategory_ReturnsTheSameLogger()
    {
        using var provider = new JsonLineLoggerProvider(new MemoryStream(), TimeProvider.System);

        Assert.Same(provider.CreateLogger("a"), provider.CreateLogger("a"));
    }
}
