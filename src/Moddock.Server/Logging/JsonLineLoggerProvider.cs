using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Moddock.Server.Logging;

/// <summary>
/// The serve log on stdout: <see cref="JsonLineLogger"/> per category over one batching
/// <see cref="JsonLineSink"/>. Microsoft's console logger formats into a string, queues it and writes
/// and flushes each line on its own (a write(2) per request); on a cached hit that cost more than
/// serving the bytes (bench/serve/notes.md).
/// </summary>
[ProviderAlias("JsonLine")]
internal sealed class JsonLineLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, JsonLineLogger> _loggers = new(StringComparer.Ordinal);
    private readonly JsonLineSink _sink;
    private readonly TimeProvider _time;

    public JsonLineLoggerProvider()
        : this(Console.OpenStandardOutput(), TimeProvider.System)
    {
    }

    internal JsonLineLoggerProvider(Stream output, TimeProvider time)
    {
        _sink = new JsonLineSink(output);
        _time = time;
    }

    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, static (name, self) => new JsonLineLogger(name, self._sink, self._time), this);

    public void Dispose() => _sink.Dispose();
}
