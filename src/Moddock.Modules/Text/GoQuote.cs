using System.Globalization;
using System.Text;

namespace Moddock.Modules.Text;

/// <summary>
/// Go's <c>strconv.Quote</c> and <c>strconv.QuoteRune</c> (what <c>%q</c> prints), so that error messages read
/// exactly like the go command's. A lone surrogate stands for a byte that is not valid UTF-8: U+DC80–U+DCFF
/// is the byte 0x80–0xFF (the "surrogateescape" convention), any other lone surrogate is quoted as the three
/// bytes of its WTF-8 form, as Go would print them.
/// </summary>
internal static class GoQuote
{
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                AppendEscapedRune(sb, char.ConvertToUtf32(c, s[i + 1]), '"');
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                AppendInvalid(sb, c);
            }
            else
            {
                AppendEscapedRune(sb, c, '"');
            }
        }

        sb.Append('"');
        return sb.ToString();
    }

    public static string QuoteRune(int rune)
    {
        var sb = new StringBuilder(8);
        sb.Append('\'');
        AppendEscapedRune(sb, char.IsSurrogate((char)rune) && rune <= 0xFFFF ? 0xFFFD : rune, '\'');
        sb.Append('\'');
        return sb.ToString();
    }

    /// <summary>unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    public static bool IsPrint(int rune)
    {
        if (rune < 0x80)
        {
            return rune >= 0x20 && rune < 0x7F;
        }

        return CharUnicodeInfo.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => true,
            UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol => true,
            _ => false,
        };
    }

    private static void AppendInvalid(StringBuilder sb, char c)
    {
        if (c >= 0xDC80 && c <= 0xDCFF)
        {
            AppendHexByte(sb, c - 0xDC00);
            return;
        }

        // WTF-8: 1110xxxx 10xxxxxx 10xxxxxx, each byte invalid on its own for Go.
        AppendHexByte(sb, 0xE0 | (c >> 12));
        AppendHexByte(sb, 0x80 | ((c >> 6) & 0x3F));
        AppendHexByte(sb, 0x80 | (c & 0x3F));
    }

    private static void AppendHexByte(StringBuilder sb, int b) =>
        sb.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture));

    private static void AppendEscapedRune(StringBuilder sb, int r, char quote)
    {
        if (r == quote || r == '\\')
        {
            sb.Append('\\').Append((char)r);
            return;
        }

        if (IsPrint(r))
        {
            AppendRune(sb, r);
            return;
        }

        switch (r)
        {
            case '\a': sb.Append("\\a"); return;
            case '\b': sb.Append("\\b"); return;
            case '\f': sb.Append("\\f"); return;
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\t': sb.Append("\\t"); return;
            case '\v': sb.Append("\\v"); return;
        }

        if (r < ' ' || r == 0x7F)
        {
            AppendHexByte(sb, r);
        }
        else if (r < 0x10000)
        {
            sb.Append("\\u").Append(r.ToString("x4", CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append("\\U").Append(r.ToString("x8", CultureInfo.InvariantCulture));
        }
    }

    private static void AppendRune(StringBuilder sb, int r)
    {
        if (r < 0x10000)
        {
            sb.Append((char)r);
        }
        else
        {
            sb.Append(char.ConvertFromUtf32(r));
        }
    }
}
