using System.Text;

namespace Moddock.Server.Routing;

/// <summary>
/// Percent-decodes a request path exactly once. The go command escapes each segment with
/// url.PathEscape, so '!' arrives as %21 while curl users send it literally; both must work.
/// '+' is never a space in a path. Encoded '/', '\' and NUL would let a segment smuggle a
/// separator or terminator past the checks, so they are refused, as are malformed escapes and
/// bytes that are not UTF-8.
/// </summary>
internal static class PercentDecoder
{
    public static bool TryDecode(string raw, out string decoded, out string? problem)
    {
        decoded = "";
        if (!raw.Contains('%', StringComparison.Ordinal))
        {
            decoded = raw;
            problem = null;
            return true;
        }

        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c != '%')
            {
                if (c > 0x7f)
                {
                    problem = "request path holds a non-ASCII character";
                    return false;
                }

                bytes.Add((byte)c);
                continue;
            }

            if (i + 2 >= raw.Length || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2]))
            {
                problem = $"invalid percent-escape \"{raw.Substring(i, Math.Min(3, raw.Length - i))}\" in request path";
                return false;
            }

            var b = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
            if (b is (byte)'/' or (byte)'\\' or 0)
            {
                problem = $"request path holds an escaped {(b == 0 ? "NUL" : b == '/' ? "slash" : "backslash")} (%{raw[i + 1]}{raw[i + 2]})";
                return false;
            }

            bytes.Add(b);
            i += 2;
        }

        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            problem = "request path is not valid UTF-8 after percent-decoding";
            return false;
        }

        problem = null;
        return true;
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
