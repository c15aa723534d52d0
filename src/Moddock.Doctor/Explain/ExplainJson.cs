using System.Text.Encodings.Web;
using System.Text.Json;
using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Explain;

/// <summary>The `explain --json` shape: {"findings":[{"line":int,"text":str,"cause":str,"where":str|null,"fix":str}]}.</summary>
internal static class ExplainJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(Stream output, IReadOnlyList<Finding> findings)
    {
        using var w = new Utf8JsonWriter(output, Options);
        w.WriteStartObject();
        w.WriteStartArray("findings");
        foreach (var f in findings)
        {
            w.WriteStartObject();
            w.WriteNumber("line", f.Line);
            w.WriteString("text", SecretRedactor.Redact(f.Text));
            w.WriteString("cause", f.Cause);
            if (f.Where is null)
            {
                w.WriteNull("where");
            }
            else
            {
                w.WriteString("where", f.Where);
            }

            w.WriteString("fix", SecretRedactor.Redact(f.Fix));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        output.WriteByte((byte)'\n');
    }
}
