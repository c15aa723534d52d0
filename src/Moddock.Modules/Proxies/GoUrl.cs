using Moddock.Modules.Text;

namespace Moddock.Modules.Proxies;

/// <summary>
/// The validation half of Go 1.19's net/url.Parse, so that a GOPROXY entry is rejected exactly when the go command
/// rejects it, with its message. It reports whether the URL is "scheme and path only", the shape a file://
/// proxy must have.
/// </summary>
internal static class GoUrl
{
    private enum Mode
    {
        Path,
        Host,
        Zone,
        UserPassword,
        Fragment,
    }

    /// <summary>Null when the URL parses; else Go's message, with <paramref name="display"/> standing for the URL.</summary>
    public static string? Parse(string raw, string display, out string scheme, out bool schemeAndPathOnly)
    {
        scheme = "";
        schemeAndPathOnly = false;
        var hash = raw.IndexOf('#', StringComparison.Ordinal);
        var u = hash < 0 ? raw : raw[..hash];
        var frag = hash < 0 ? "" : raw[(hash + 1)..];
        var displayNoFragment = hash < 0 ? display : Cut(display, '#');
        if (ParseNoFragment(u, ref scheme, out var pathOnly) is { } err)
        {
            return $"parse {GoQuote.Quote(displayNoFragment)}: {err}";
        }

        if (frag.Length > 0 && Unescape(frag, Mode.Fragment) is { } fragErr)
        {
            return $"parse {GoQuote.Quote(display)}: {fragErr}";
        }

        schemeAndPathOnly = pathOnly && frag.Length == 0;
        return null;
    }

    private static string Cut(string s, char c) => s.IndexOf(c, StringComparison.Ordinal) is var i and >= 0 ? s[..i] : s;

    private static string? ParseNoFragment(string raw, ref string scheme, out bool pathOnly)
    {
        pathOnly = false;
        foreach (var c in raw)
        {
            if (c < ' ' || c == 0x7F)
            {
                return "net/url: invalid control character in URL";
            }
        }

        if (raw == "*")
        {
            return null;
        }

        var rest = raw;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (char.IsAsciiLetter(c))
            {
                continue;
            }

            if (char.IsAsciiDigit(c) || c is '+' or '-' or '.')
            {
                if (i == 0)
                {
                    break;
                }

                continue;
            }

            if (c == ':')
            {
                if (i == 0)
                {
                    return "missing protocol scheme";
                }

                scheme = raw[..i].ToLowerInvariant();
                rest = raw[(i + 1)..];
            }

            break;
        }

        var query = false;
        if (rest.EndsWith('?') && rest.AsSpan().Count('?') == 1)
        {
            query = true; // ForceQuery
            rest = rest[..^1];
        }
        else if (rest.IndexOf('?', StringComparison.Ordinal) is var q and >= 0)
        {
            query = true;
            rest = rest[..q];
        }

        if (!rest.StartsWith('/'))
        {
            if (scheme.Length > 0)
            {
                return null; // opaque
            }

            if (Cut(rest, '/').Contains(':', StringComparison.Ordinal))
            {
                return "first path segment in URL cannot contain colon";
            }
        }

        var hasAuthority = false;
        if ((scheme.Length > 0 || !rest.StartsWith("///", StringComparison.Ordinal)) && rest.StartsWith("//", StringComparison.Ordinal))
        {
            var authority = rest[2..];
            rest = "";
            if (authority.IndexOf('/', StringComparison.Ordinal) is var slash and >= 0)
            {
                rest = authority[slash..];
                authority = authority[..slash];
            }

            if (ParseAuthority(authority, out hasAuthority) is { } err)
            {
                return err;
            }
        }
        else if (scheme.Length > 0 && rest.StartsWith('/'))
        {
            return Unescape(rest, Mode.Path) ?? SetPathOnly(out pathOnly, false); // OmitHost
        }

        return Unescape(rest, Mode.Path) ?? SetPathOnly(out pathOnly, !hasAuthority && !query);
    }

    private static string? SetPathOnly(out bool pathOnly, bool value)
    {
        pathOnly = value;
        return null;
    }

    private static string? ParseAuthority(string authority, out bool nonEmpty)
    {
        nonEmpty = authority.Length > 0;
        var at = authority.LastIndexOf('@');
        if (ParseHost(at < 0 ? authority : authority[(at + 1)..]) is { } hostErr)
        {
            return hostErr;
        }

        if (at < 0)
        {
            return null;
        }

        var userinfo = authority[..at];
        foreach (var c in userinfo)
        {
            if (!char.IsAsciiLetterOrDigit(c) && "-._:~!$&'()*+,;=%@".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return "net/url: invalid userinfo";
            }
        }

        var colon = userinfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? Unescape(userinfo, Mode.UserPassword)
            : Unescape(userinfo[..colon], Mode.UserPassword) ?? Unescape(userinfo[(colon + 1)..], Mode.UserPassword);
    }

    private static string? ParseHost(string host)
    {
        if (host.StartsWith('['))
        {
            var close = host.LastIndexOf(']');
            if (close < 0)
            {
                return "missing ']' in host";
            }

            var colonPort = host[(close + 1)..];
            if (!ValidOptionalPort(colonPort))
            {
                return $"invalid port {GoQuote.Quote(colonPort)} after host";
            }

            var zone = host.IndexOf("%25", 0, close, StringComparison.Ordinal);
            if (zone >= 0)
            {
                return Unescape(host[..zone], Mode.Host) ?? Unescape(host[zone..close], Mode.Zone) ?? Unescape(host[close..], Mode.Host);
            }
        }
        else if (host.LastIndexOf(':') is var i and >= 0)
        {
            var colonPort = host[i..];
            if (!ValidOptionalPort(colonPort))
            {
                return $"invalid port {GoQuote.Quote(colonPort)} after host";
            }
        }

        return Unescape(host, Mode.Host);
    }

    private static bool ValidOptionalPort(string port) =>
        port.Length == 0 || (port[0] == ':' && AsciiSpan.IsAllDigits(port.AsSpan(1)));

    // url.unescape, validation only.
    private static string? Unescape(string s, Mode mode)
    {
        for (var i = 0; i < s.Length;)
        {
            var c = s[i];
            if (c == '%')
            {
                if (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2]))
                {
                    return "invalid URL escape " + GoQuote.Quote(s.Substring(i, Math.Min(3, s.Length - i)));
                }

                var escape = s.Substring(i, 3);
                if (mode == Mode.Host && HexValue(s[i + 1]) < 8 && escape != "%25")
                {
                    return "invalid URL escape " + GoQuote.Quote(escape);
                }

                if (mode == Mode.Zone)
                {
                    var v = (char)((HexValue(s[i + 1]) << 4) | HexValue(s[i + 2]));
                    if (escape != "%25" && v != ' ' && ShouldEscapeInHost(v))
                    {
                        return "invalid URL escape " + GoQuote.Quote(escape);
                    }
                }

                i += 3;
                continue;
            }

            if (mode is Mode.Host or Mode.Zone && c < 0x80 && ShouldEscapeInHost(c))
            {
                return "invalid character " + GoQuote.Quote(c.ToString()) + " in host name";
            }

            i++;
        }

        return null;
    }

    // shouldEscape(c, encodeHost)
    private static bool ShouldEscapeInHost(char c) =>
        !char.IsAsciiLetterOrDigit(c) && "!$&'()*+,;=:[]<>\"-_.~".IndexOf(c, StringComparison.Ordinal) < 0;

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
