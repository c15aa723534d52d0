using System.Text;
using Moddock.Modules.Text;

namespace Moddock.Modules.GoMod;

/// <summary>strconv.Unquote (Go 1.19) for double-quoted and back-quoted strings, over bytes; null means ErrSyntax.</summary>
internal static class GoUnquote
{
    public static byte[]? Unquote(ReadOnlySpan<byte> s)
    {
        if (s.Length < 2)
        {
            return null;
        }

        var quote = s[0];
        var end = s[1..].IndexOf(quote);
        if (end < 0)
        {
            return null;
        }

        end += 2;
        if (quote == '`')
        {
            // A raw string ends at the first back quote; nothing may follow. Carriage returns are dropped.
            if (end != s.Length)
            {
                return null;
            }

            var inner = s[1..(end - 1)];
            var raw = new List<byte>(inner.Length);
            foreach (var b in inner)
            {
                if (b != '\r')
                {
                    raw.Add(b);
                }
            }

            return [.. raw];
        }

        if (quote != '"')
        {
            return null;
        }

        var head = s[..end];
        if (!head.Contains((byte)'\\') && !head.Contains((byte)'\n') && IsValidUtf8(head[1..^1]))
        {
            return end == s.Length ? head[1..^1].ToArray() : null;
        }

        var buf = new List<byte>(s.Length);
        var rest = s[1..];
        Span<byte> utf8 = stackalloc byte[4];
        while (!rest.IsEmpty && rest[0] != quote)
        {
            if (rest[0] == '\n' || !UnquoteChar(ref rest, out var value, out var multibyte))
            {
                return null;
            }

            if (value < 0x80 || !multibyte)
            {
                buf.Add((byte)value);
            }
            else
            {
                var n = (Rune.IsValid(value) ? new Rune(value) : Rune.ReplacementChar).EncodeToUtf8(utf8);
                foreach (var b in utf8[..n])
                {
                    buf.Add(b);
                }
            }
        }

        // The closing quote must end the input.
        return rest.Length == 1 && rest[0] == quote ? [.. buf] : null;
    }

    private static bool IsValidUtf8(ReadOnlySpan<byte> s) => System.Text.Unicode.Utf8.IsValid(s);

    private static bool UnquoteChar(ref ReadOnlySpan<byte> s, out int value, out bool multibyte)
    {
        value = 0;
        multibyte = false;
        var c = s[0];
        if (c == '"')
        {
            return false;
        }

        if (c >= 0x80)
        {
            (value, var size) = GoBytes.DecodeRune(s);
            multibyte = true;
            s = s[size..];
            return true;
        }

        if (c != '\\')
        {
            value = c;
            s = s[1..];
            return true;
        }

        if (s.Length <= 1)
        {
            return false;
        }

        var e = s[1];
        s = s[2..];
        switch (e)
        {
            case (byte)'a': value = 7; return true;
            case (byte)'b': value = 8; return true;
            case (byte)'f': value = 12; return true;
            case (byte)'n': value = 10; return true;
            case (byte)'r': value = 13; return true;
            case (byte)'t': value = 9; return true;
            case (byte)'v': value = 11; return true;
            case (byte)'\\': value = '\\'; return true;
            case (byte)'"': value = '"'; return true;
            case (byte)'x' or (byte)'u' or (byte)'U':
                var n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                if (s.Length < n)
                {
                    return false;
                }

                var v = 0L;
                for (var j = 0; j < n; j++)
                {
                    var h = HexValue(s[j]);
                    if (h < 0)
                    {
                        return false;
                    }

                    v = (v << 4) | (long)h;
                }

                s = s[n..];
                if (e == 'x')
                {
                    value = (int)v;
                    return true;
                }

                if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
                {
                    return false;
                }

                value = (int)v;
                multibyte = true;
                return true;
            case >= (byte)'0' and <= (byte)'7':
                if (s.Length < 2)
                {
                    return false;
                }

                var o = e - '0';
                for (var j = 0; j < 2; j++)
                {
                    var x = s[j] - '0';
                    if (x < 0 || x > 7)
                    {
                        return false;
                    }

                    o = (o << 3) | x;
                }

                s = s[2..];
                if (o > 255)
                {
                    return false;
                }

                value = o;
                return true;
            default:
                return false;
        }
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
