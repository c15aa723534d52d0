using System.Text.Encodings.Web;
using System.Text.Json;

namespace Moddock.Doctor.Reporting;

/// <summary>
/// The `--json` shape other tools depend on, exactly:
/// {"ok":bool,"checks":[{"name","target","where","status","cause","detail","fix","elapsedMs"}]}.
/// </summary>
internal static class ReportJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(Stream output, DoctorReport report)
    {
        using var w = new Utf8JsonWriter(output, Options);
        w.WriteStartObject();
        w.WriteBoolean("ok", report.Ok);
        w.WriteStartArray("checks");
        foreach (var c in report.Checks)
        {
            w.WriteStartObject();
            w.WriteString("name", SecretRedactor.Redact(c.Name));
            WriteNullable(w, "target", c.Target);
            WriteNullable(w, "where", c.Where);
            w.WriteString("status", c.Status switch
            {
                CheckStatus.Ok => "ok",
                CheckStatus.Warn => "warn",
                _ => "fail",
            });
            WriteNullable(w, "cause", c.Cause);
            w.WriteString("detail", SecretRedactor.Redact(c.Detail));
            WriteNullable(w, "fix", c.Fix);
            w.WriteNumber("elapsedMs", Math.Round(c.ElapsedMs, 1));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, SecretRedactor.Redact(value));
        }
    }
}
