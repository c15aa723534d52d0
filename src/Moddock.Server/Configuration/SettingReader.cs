using System.Globalization;

namespace Moddock.Server.Configuration;

/// <summary>Reads typed values out of the merged settings, recording a problem for each bad one.</summary>
internal sealed class SettingReader(IReadOnlyDictionary<string, SettingValue> settings, List<ConfigProblem> problems)
{
    public string? Text(string key, string defaultValue) =>
        settings.TryGetValue(key, out var s) ? s.Value.Trim() : defaultValue;

    public void Problem(string key, string message)
    {
        var source = settings.TryGetValue(key, out var s) ? s : new SettingValue("", "default");
        problems.Add(new ConfigProblem(key, source.Source, source.Value, message));
    }

    public bool Bool(string key, bool defaultValue)
    {
        if (!settings.TryGetValue(key, out var s))
        {
            return defaultValue;
        }

        switch (s.Value.Trim().ToUpperInvariant())
        {
            case "TRUE" or "1" or "YES" or "ON":
                return true;
            case "FALSE" or "0" or "NO" or "OFF" or "":
                return false;
            default:
                Problem(key, "must be true or false");
                return defaultValue;
        }
    }

    public int PositiveInt(string key, int defaultValue)
    {
        if (!settings.TryGetValue(key, out var s))
        {
            return defaultValue;
        }

        if (int.TryParse(s.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            return n;
        }

        Problem(key, "must be a whole number above 0");
        return defaultValue;
    }

    /// <summary>Durations are written like Go's: "500ms", "15s", "5m", "1h" (a bare number means seconds).</summary>
    public TimeSpan Duration(string key, TimeSpan defaultValue, bool allowZero)
    {
        if (!settings.TryGetValue(key, out var s))
        {
            return defaultValue;
        }

        if (TryParseDuration(s.Value.Trim(), out var d) && (d > TimeSpan.Zero || (allowZero && d == TimeSpan.Zero)))
        {
            return d;
        }

        Problem(key, allowZero ? "must be a duration of 0 or more, like 60s, 500ms or 5m" : "must be a duration above 0, like 15s, 500ms or 5m");
        return defaultValue;
    }

    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var units = new (string Suffix, double Seconds)[] { ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600) };
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(text[..^suffix.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
            {
                value = TimeSpan.FromSeconds(n * seconds);
                return true;
            }
        }

        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var plain))
        {
            value = TimeSpan.FromSeconds(plain);
            return true;
        }

        return false;
    }
}
