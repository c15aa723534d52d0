using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Moddock.Proxy.Sources;

/// <summary>Reads a <c>.info</c> / <c>@latest</c> body (<c>{"Version","Time","Origin"?}</c>) without changing its bytes.</summary>
internal static class VersionInfoJson
{
    public static bool TryParse(ReadOnlySpan<byte> raw, out VersionInfo? info, out string error)
    {
        info = null;
        error = "";
        try
        {
            var reader = new Utf8JsonReader(raw);
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("Version", out var v)
                || v.ValueKind != JsonValueKind.String
                || string.IsNullOrEmpty(v.GetString()))
            {
                error = "no Version field";
                return false;
            }

            DateTimeOffset? time = null;
            if (doc.RootElement.TryGetProperty("Time", out var t) && t.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                time = parsed;
            }

            info = new VersionInfo(v.GetString()!, time, Encoding.UTF8.GetString(raw));
            return true;
        }
        catch (JsonException e)
        {
            error = e.Message;
            return false;
        }
    }
}
