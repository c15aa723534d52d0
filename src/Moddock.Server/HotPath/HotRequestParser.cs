using System.Buffers;
using System.Text;

namespace Moddock.Server.HotPath;

/// <summary>
/// Recognizes the one request shape the hot path answers, and nothing else: an HTTP/1.1 GET or
/// HEAD of an origin-form target, with exactly one Host header, no body, and none of the headers
/// that change what a 200 means (ranges, conditionals, Expect, Upgrade). Everything else, and
/// anything that is not strictly well-formed (RFC 9112 §3 request line, §5 field lines; no
/// obs-fold, no bare LF, no bytes outside visible ASCII), is handed to Kestrel untouched, which
/// answers it, or rejects it, exactly as it would have without the hot path. This is
/// deliberately narrower than HTTP: a false "HandOver" costs a little speed, a false "Complete"
/// would answer a request Kestrel would refuse.
/// </summary>
internal static class HotRequestParser
{
    /// <summary>Kestrel's default MaxRequestLineSize and far below its MaxRequestHeadersTotalSize; longer heads go to Kestrel.</summary>
    public const int MaxHeadLength = 8 * 1024;

    /// <summary>Kestrel's default MaxRequestHeaderCount.</summary>
    private const int MaxHeaderCount = 100;

    /// <summary>The endpoint's 414 reason (<see cref="Routing.ProxyTarget.MaxTargetLength"/>).</summary>
    private static readonly string OverlongReason = $"request target is longer than {Routing.ProxyTarget.MaxTargetLength} bytes";

    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    public static HotParseStatus TryParse(ReadOnlySequence<byte> buffer, out HotRequest request)
    {
        request = default;
        if (buffer.IsSingleSegment)
        {
            return TryParse(buffer.FirstSpan, out request);
        }

        // Heads split across pipe segments are rare (a new connection's first read is one segment);
        // copy at most a head's worth so the parse works on one span.
        var length = (int)Math.Min(buffer.Length, MaxHeadLength + HeadEnd.Length);
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(copy);
            return TryParse(copy.AsSpan(0, length), out request);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    public static HotParseStatus TryParse(ReadOnlySpan<byte> bytes, out HotRequest request)
    {
        request = default;
        var end = bytes.IndexOf(HeadEnd);
        if (end < 0)
        {
            if (bytes.Length >= MaxHeadLength && IsOverlongRequestLine(bytes))
            {
                // Kestrel answers a request line over 8 KiB with a bare 414; this target is far past the
                // endpoint's own limit, so give the endpoint's answer with its reason.
                request = new HotRequest(bytes.StartsWith("HEAD "u8), "", Close: true, bytes.Length, OverlongReason, Status: 414);
                return HotParseStatus.Reject;
            }

            // Kestrel also ends lines at a bare LF, so a head written with them is whole without ever
            // showing CRLF CRLF: hand it over now rather than wait for bytes that are not coming.
            return bytes.Length >= MaxHeadLength || HasBareLineFeed(bytes) ? HotParseStatus.HandOver : HotParseStatus.Incomplete;
        }

        if (end + HeadEnd.Length > MaxHeadLength)
        {
            return HotParseStatus.HandOver;
        }

        var head = bytes[..(end + 2)]; // every line with its CRLF, without the blank line
        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = ParseRequestLine(head[..lineEnd], out var isHead, out var target, out var rejection);
        if (requestLine == HotParseStatus.Reject)
        {
            request = new HotRequest(isHead, target, Close: true, end + HeadEnd.Length, rejection);
            return HotParseStatus.Reject;
        }

        if (requestLine != HotParseStatus.Complete)
        {
            return HotParseStatus.HandOver;
        }

        var fields = head[(lineEnd + 2)..];
        var hosts = 0;
        var close = false;
        for (var count = 0; !fields.IsEmpty; count++)
        {
            lineEnd = fields.IndexOf("\r\n"u8);
            var line = fields[..lineEnd];
            fields = fields[(lineEnd + 2)..];
            if (count == MaxHeaderCount || !TryParseField(line, out var name, out var value))
            {
                return HotParseStatus.HandOver;
            }

            switch (Classify(name))
            {
                case FieldKind.Host:
                    if (++hosts > 1 || !IsHostValue(value))
                    {
                        return HotParseStatus.HandOver;
                    }

                    break;
                case FieldKind.Connection:
                    if (!TryReadConnection(value, ref close))
                    {
                        return HotParseStatus.HandOver;
                    }

                    break;
                case FieldKind.Refused:
                    return HotParseStatus.HandOver;
            }
        }

        if (hosts != 1)
        {
            // RFC 9112 §3.2: a request without exactly one Host is answered 400, which is Kestrel's to say.
            return HotParseStatus.HandOver;
        }

        request = new HotRequest(isHead, target, close, end + HeadEnd.Length);
        return HotParseStatus.Complete;
    }

    private static HotParseStatus ParseRequestLine(ReadOnlySpan<byte> line, out bool isHead, out string target, out string? rejection)
    {
        isHead = false;
        target = string.Empty;
        rejection = null;
        int methodLength;
        if (line.StartsWith("GET "u8))
        {
            methodLength = 3;
        }
        else if (line.StartsWith("HEAD "u8))
        {
            methodLength = 4;
            isHead = true;
        }
        else
        {
            return HotParseStatus.HandOver;
        }

        // HTTP/1.0 is Kestrel's to answer, but its targets are judged here like HTTP/1.1's.
        var rest = line[(methodLength + 1)..];
        var http11 = rest.EndsWith(" HTTP/1.1"u8);
        if (!http11 && !rest.EndsWith(" HTTP/1.0"u8))
        {
            return HotParseStatus.HandOver;
        }

        var raw = rest[..^" HTTP/1.1".Length];
        target = Encoding.Latin1.GetString(raw);

        // Kestrel answers these with a bare 400 (or 405) and no body before any middleware runs; the
        // go command prints the body of an error, so say what is wrong (RFC 9112 §3.2: the target is
        // visible ASCII; Kestrel refuses a raw NUL anywhere in it and a path that decodes to NUL).
        // A module proxy names artifacts by path only: absolute-form and '*' would be refused by the
        // endpoint too, with this reason, when Kestrel let them through.
        if (!raw.StartsWith("/"u8))
        {
            rejection = "request target must be a path starting with '/'";
            return HotParseStatus.Reject;
        }

        var space = raw.IndexOf((byte)' ');
        if (space >= 0)
        {
            rejection = "the request target contains a space: escape it as %20";
            return HotParseStatus.Reject;
        }

        foreach (var b in raw)
        {
            if (b > 0x7F)
            {
                rejection = $"the request target contains the raw byte 0x{b:x2}: a module path is ASCII, and any other byte must be percent-escaped";
                return HotParseStatus.Reject;
            }

            if (b == 0)
            {
                rejection = "the request target contains a raw NUL byte";
                return HotParseStatus.Reject;
            }
        }

        var query = raw.IndexOf((byte)'?');
        var path = query < 0 ? raw : raw[..query];
        if (path.IndexOf("%00"u8) >= 0)
        {
            rejection = "the request path contains an escaped NUL (%00)";
            return HotParseStatus.Reject;
        }

        if (!http11)
        {
            return HotParseStatus.HandOver;
        }

        foreach (var b in raw)
        {
            // Other bytes outside visible ASCII reach the endpoint through Kestrel, which explains
            // them; '#' never belongs to a request target (RFC 9112 §3.2).
            if (b is < 0x21 or 0x7F or (byte)'#')
            {
                return HotParseStatus.HandOver;
            }
        }

        return HotParseStatus.Complete;
    }

    private static bool IsOverlongRequestLine(ReadOnlySpan<byte> bytes) =>
        (bytes.StartsWith("GET /"u8) || bytes.StartsWith("HEAD /"u8)) && bytes.IndexOf((byte)'\n') < 0;

    private static bool HasBareLineFeed(ReadOnlySpan<byte> bytes)
    {
        for (var i = bytes.IndexOf((byte)'\n'); i >= 0; i = bytes.IndexOf((byte)'\n'))
        {
            if (i == 0 || bytes[i - 1] != (byte)'\r')
            {
                return true;
            }

            bytes = bytes[(i + 1)..];
        }

        return false;
    }

    /// <summary>RFC 9110 §5.1/§5.5: a token, a colon, optional whitespace, a value of visible ASCII, spaces and tabs.</summary>
    private static bool TryParseField(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        var colon = line.IndexOf((byte)':');
        name = colon > 0 ? line[..colon] : default;
        if (colon <= 0)
        {
            return false; // also an obs-fold line, which starts with whitespace and has no token before ':'
        }

        foreach (var b in name)
        {
            if (!IsTokenChar(b))
            {
                return false;
            }
        }

        value = line[(colon + 1)..].Trim(" \t"u8);
        foreach (var b in value)
        {
            if (b is not ((>= 0x20 and <= 0x7E) or (byte)'\t'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsTokenChar(byte b) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*' or (byte)'+'
            or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';

    /// <summary>
    /// RFC 9110 §7.2 / RFC 3986 §3.2.2, narrowed to what the go client and curl send: a name (letters,
    /// digits, '.', '-', '_') or a bracketed IPv6 literal (hex digits, ':' and '.', at least one ':'),
    /// then an optional ':' and a port of digits. Anything else (an empty port, a bare ':', stray
    /// brackets) Kestrel answers 400, so it is left to Kestrel.
    /// </summary>
    private static bool IsHostValue(ReadOnlySpan<byte> value)
    {
        ReadOnlySpan<byte> rest;
        if (value.StartsWith("["u8))
        {
            var close = value.IndexOf((byte)']');
            if (close < 3)
            {
                return false;
            }

            var literal = value[1..close];
            if (literal.IndexOf((byte)':') < 0)
            {
                return false;
            }

            foreach (var b in literal)
            {
                if (!(char.IsAsciiHexDigit((char)b) || b is (byte)':' or (byte)'.'))
                {
                    return false;
                }
            }

            rest = value[(close + 1)..];
        }
        else
        {
            var colon = value.IndexOf((byte)':');
            var name = colon < 0 ? value : value[..colon];
            if (name.IsEmpty)
            {
                return false;
            }

            foreach (var b in name)
            {
                if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'.' or (byte)'-' or (byte)'_'))
                {
                    return false;
                }
            }

            rest = colon < 0 ? default : value[colon..];
        }

        if (rest.IsEmpty)
        {
            return true;
        }

        if (rest[0] != (byte)':' || rest.Length == 1 || rest.Length > 6)
        {
            return false;
        }

        foreach (var b in rest[1..])
        {
            if (!char.IsAsciiDigit((char)b))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 9110 §7.6.1: a comma-separated list of options; "close" ends the connection after this response.</summary>
    private static bool TryReadConnection(ReadOnlySpan<byte> value, ref bool close)
    {
        while (!value.IsEmpty)
        {
            var comma = value.IndexOf((byte)',');
            var option = (comma < 0 ? value : value[..comma]).Trim(" \t"u8);
            value = comma < 0 ? default : value[(comma + 1)..];
            if (Ascii.EqualsIgnoreCase(option, "close"u8))
            {
                close = true;
            }
            else if (Ascii.EqualsIgnoreCase(option, "upgrade"u8))
            {
                return false;
            }
        }

        return true;
    }

    private static FieldKind Classify(ReadOnlySpan<byte> name)
    {
        if (Ascii.EqualsIgnoreCase(name, "host"u8))
        {
            return FieldKind.Host;
        }

        if (Ascii.EqualsIgnoreCase(name, "connection"u8))
        {
            return FieldKind.Connection;
        }

        // A body (Content-Length, Transfer-Encoding, Expect), a protocol switch, or a header that
        // turns a 200 into a 206/304/412 (RFC 9110 §13, §14): Kestrel and the endpoint decide those.
        return Ascii.EqualsIgnoreCase(name, "content-length"u8)
            || Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8)
            || Ascii.EqualsIgnoreCase(name, "expect"u8)
            || Ascii.EqualsIgnoreCase(name, "upgrade"u8)
            || Ascii.EqualsIgnoreCase(name, "te"u8)
            || Ascii.EqualsIgnoreCase(name, "range"u8)
            || Ascii.EqualsIgnoreCase(name, "if-range"u8)
            || Ascii.EqualsIgnoreCase(name, "if-match"u8)
            || Ascii.EqualsIgnoreCase(name, "if-none-match"u8)
            || Ascii.EqualsIgnoreCase(name, "if-modified-since"u8)
            || Ascii.EqualsIgnoreCase(name, "if-unmodified-since"u8)
            || Ascii.EqualsIgnoreCase(name, "http2-settings"u8)
                ? FieldKind.Refused
                : FieldKind.Other;
    }

    private enum FieldKind
    {
        Other,
        Host,
        Connection,
        Refused,
    }
}
