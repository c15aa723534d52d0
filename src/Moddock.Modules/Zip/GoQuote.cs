using System.Globalization;
using System.Text;

namespace Moddock.Modules.Zip;

/// <summary>Go's strconv.Quote (the %q verb), so error texts match the go command's byte for byte.</summary>
internal static class GoQuote
{
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\a': sb.Append("\\a"); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case '\v': sb.Append("\\v"); continue;
                default: break;
            }

            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                var r = new Rune(c, s[i + 1]);
                AppendRune(sb, r);
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                // A lone surrogate stands for a byte that was not UTF-8 (U+DC80..U+DCFF carry it); Go prints \xNN.
                sb.Append(c is >= '\uDC80' and <= '\uDCFF' ? "\\x" + ((int)c - 0xDC00).ToString("x2", CultureInfo.InvariantCulture) : "\\ufffd");
                continue;
            }

            AppendRune(sb, new Rune(c));
        }

        sb.Append('"');
        return sb.ToString();
    }

    private static void AppendRune(StringBuilder sb, Rune r)
    {
        if (r.Value < 0x80)
        {
            if (r.Value is >= 0x20 and < 0x7f)
            {
                sb.Append((char)r.Value);
            }
            else
            {
                sb.Append("\\x").Append(r.Value.ToString("x2", CultureInfo.InvariantCulture));
            }

            return;
        }

        var cat = Rune.GetUnicodeCategory(r);
        var printable = cat is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator
            or UnicodeCategory.ParagraphSeparator) && (cat != UnicodeCategory.SpaceSeparator || r.Value == 0x20);
        if (printable)
        {
            sb.Append(r.ToString());
        }
        else if (r.Value <= 0xFFFF)
        {
            sb.Append("\\u").Append(r.Value.ToString("x4", CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append("\\U").Append(r.Value.ToString("x8", CultureInfo.InvariantCulture));
        }
    }
}
