using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Moddock.Server.Logging;

/// <summary>
/// One JSON object per line, in the shape of Microsoft's JSON console formatter (Timestamp, EventId,
/// LogLevel, Category, Message, Exception, State with every named placeholder; the template itself is
/// left out), built in a reused
/// per-thread buffer and handed to a <see cref="JsonLineSink"/> that batches the writes.
/// </summary>
internal sealed class JsonLineLogger(string category, JsonLineSink sink, TimeProvider time) : ILogger
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        ArgumentNullException.ThrowIfNull(formatter);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var json = t_json ??= new Utf8JsonWriter(buffer, WriterOptions);
        json.Reset(buffer);

        json.WriteStartObject();
        Span<char> stamp = stackalloc char[32];
        time.GetUtcNow().UtcDateTime.TryFormat(stamp, out var n, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        json.WriteString("Timestamp", stamp[..n]);
        json.WriteNumber("EventId", eventId.Id);
        json.WriteString("LogLevel", LevelName(logLevel));
        json.WriteString("Category", category);
        json.WriteString("Message", formatter(state, exception));
        if (exception is not null)
        {
            json.WriteString("Exception", exception.ToString());
        }

        if (state is IReadOnlyList<KeyValuePair<string, object?>> properties)
        {
            json.WriteStartObject("State");
            for (var i = 0; i < properties.Count; i++)
            {
                var (name, value) = properties[i];

                // The message template is the same on every line and the Message field already renders it.
                if (name != "{OriginalFormat}")
                {
                    WriteValue(json, name, value);
                }
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.Flush();
        sink.Append(buffer.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter json, string name, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(name);
                break;
            case string s:
                json.WriteString(name, s);
                break;
            case bool b:
                json.WriteBoolean(name, b);
                break;
            case int i:
                json.WriteNumber(name, i);
                break;
            case long l:
                json.WriteNumber(name, l);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumber(name, d);
                break;
            default:
                json.WriteString(name, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "Trace",
        LogLevel.Debug => "Debug",
        LogLevel.Information => "Information",
        LogLevel.Warning => "Warning",
        LogLevel.Error => "Error",
        LogLevel.Critical => "Critical",
        _ => "None",
    };
}
