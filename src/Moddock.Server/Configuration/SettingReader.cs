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

    /// <summary>A size in bytes: a whole number, optionally followed by B, KiB, MiB or GiB (K, M, G also read as binary units); 0 is allowed.</summary>
    public long ByteSize(string key, long defaultValue)
    {
        if (!settings.TryGetValue(key, out var s))
        {
            return defaultValue;
        }

        if (TryParseByteSize(s.Value.Trim(), out var n))
        {
            return n;
        }

        Problem(key, "must be a size of 0 or more bytes, like 64MiB, 512KiB or 0 (off)");
        return defaultValue;
    }

    public static bool TryParseByteSize(string text, out long value)
    {
        value = 0;
        var units = new (string Suffix, int Shift)[] { ("GiB", 30), ("MiB", 20), ("KiB", 10), ("G", 30), ("M", 20), ("K", 10), ("B", 0) };
        var shift = 0;
        foreach (var (suffix, s) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                text = text[..^suffix.Length].TrimEnd();
                shift = s;
                break;
            }
        }

        // At most 1 TiB: anything larger is a typo, not a memory budget.
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > (1L << 40) >> shift)
        {
            return false;
        }

        value = n << shift;
        return true;
    }
}
