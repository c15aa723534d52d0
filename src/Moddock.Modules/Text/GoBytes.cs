using System.Text;

namespace Moddock.Modules.Text;

/// <summary>
/// Converts between Go strings (arbitrary bytes) and .NET strings without loss, so that byte-level Go rules can
/// be reproduced exactly: valid UTF-8 maps to the same text, and each byte that is not part of valid UTF-8
/// maps to the lone surrogate U+DC00+byte ("surrogateescape"). Other lone surrogates encode as WTF-8.
/// </summary>
internal static class GoBytes
{
    public static byte[] Encode(string s)
    {
        var bytes = new List<byte>(s.Length);
        Span<byte> buf = stackalloc byte[4];
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                var n = new Rune(c, s[i + 1]).EncodeToUtf8(buf);
                AddRange(bytes, buf[..n]);
                i++;
            }
            else if (c >= 0xDC80 && c <= 0xDCFF)
            {
                bytes.Add((byte)(c - 0xDC00));
            }
            else if (char.IsSurrogate(c))
            {
                bytes.Add((byte)(0xE0 | (c >> 12)));
                bytes.Add((byte)(0x80 | ((c >> 6) & 0x3F)));
                bytes.Add((byte)(0x80 | (c & 0x3F)));
            }
            else
            {
                var n = new Rune(c).EncodeToUtf8(buf);
                AddRange(bytes, buf[..n]);
            }
        }

        return [.. bytes];
    }

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            var (rune, width) = DecodeRune(bytes);
            if (width == 1 && rune == Rune.ReplacementChar.Value && bytes[0] >= 0x80)
            {
                sb.Append((char)(0xDC00 + bytes[0]));
            }
            else
            {
                sb.Append(new Rune(rune).ToString());
            }

            bytes = bytes[width..];
        }

        return sb.ToString();
    }

    /// <summary>utf8.DecodeRune: an invalid byte decodes as (U+FFFD, 1), never as a longer invalid sequence.</summary>
    public static (int Rune, int Width) DecodeRune(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty)
        {
            return (Rune.ReplacementChar.Value, 0);
        }

        if (s[0] < 0x80)
        {
            return (s[0], 1);
        }

        return Rune.DecodeFromUtf8(s, out var r, out var n) == System.Buffers.OperationStatus.Done
            ? (r.Value, n)
            : (Rune.ReplacementChar.Value, 1);
    }

    private static void AddRange(List<byte> list, ReadOnlySpan<byte> span)
    {
        foreach (var b in span)
        {
            list.Add(b);
        }
    }
}
