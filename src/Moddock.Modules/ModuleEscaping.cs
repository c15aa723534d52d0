using System.Text;
using Moddock.Modules.Paths;
using Moddock.Modules.Text;

namespace Moddock.Modules;

/// <summary>
/// The case-escaping of module paths and versions used in proxy URLs and cache directories
/// (golang.org/x/mod/module EscapePath & co.): every upper-case ASCII letter becomes '!' plus its lower-case
/// form, so that a case-insensitive file system or web server never has to tell two casings apart.
/// Paths never contain '!', so '!' needs no escape of its own.
/// </summary>
public static class ModuleEscaping
{
    public static bool TryEscapePath(string path, out string escaped, out ModuleError? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        error = ModulePathChecks.CheckPath(path);
        if (error is not null)
        {
            escaped = "";
            return false;
        }

        return TryEscapeString(path, out escaped, out error);
    }

    /// <summary>Versions need not be semver here, but must be valid file names without '!'.</summary>
    public static bool TryEscapeVersion(string v, out string escaped, out ModuleError? error)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (PathRules.CheckElem(v, PathKind.File) is not null || v.Contains('!', StringComparison.Ordinal))
        {
            escaped = "";
            error = new ModuleError(ModuleErrorKind.InvalidVersion, ModulePathChecks.InvalidVersion(v, "disallowed version string"));
            return false;
        }

        return TryEscapeString(v, out escaped, out error);
    }

    public static bool TryUnescapePath(string escaped, out string path, out ModuleError? error)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        if (!TryUnescapeString(escaped, out var p))
        {
            path = "";
            error = new ModuleError(ModuleErrorKind.InvalidEscape, $"invalid escaped module path {GoQuote.Quote(escaped)}");
            return false;
        }

        if (ModulePathChecks.CheckPath(p) is { } pathError)
        {
            path = "";
            error = new ModuleError(ModuleErrorKind.InvalidEscape, $"invalid escaped module path {GoQuote.Quote(escaped)}: {pathError.Message}");
            return false;
        }

        path = p;
        error = null;
        return true;
    }

    public static bool TryUnescapeVersion(string escaped, out string v, out ModuleError? error)
    {
        ArgumentNullException.ThrowIfNull(escaped);
        if (!TryUnescapeString(escaped, out var u))
        {
            v = "";
            error = new ModuleError(ModuleErrorKind.InvalidEscape, $"invalid escaped version {GoQuote.Quote(escaped)}");
            return false;
        }

        // Go names the unescaped version here, not the escaped one.
        if (PathRules.CheckElem(u, PathKind.File) is { } reason)
        {
            v = "";
            error = new ModuleError(ModuleErrorKind.InvalidEscape, $"invalid escaped version {GoQuote.Quote(u)}: {reason}");
            return false;
        }

        v = u;
        error = null;
        return true;
    }

    /// <summary>
    /// Percent-decodes one URL path segment the way Go's url.PathUnescape does ('+' stays '+'), so that the
    /// "%21" the go command sends for '!' can be unescaped. Returns false on a malformed escape or bytes that
    /// are not UTF-8.
    /// </summary>
    public static bool TryPercentDecode(string segment, out string decoded)
    {
        ArgumentNullException.ThrowIfNull(segment);
        if (!segment.Contains('%', StringComparison.Ordinal))
        {
            var valid = PathRules.IsValidUtf16(segment);
            decoded = valid ? segment : "";
            return valid;
        }

        var bytes = new List<byte>(segment.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (c == '%')
            {
                if (i + 2 >= segment.Length || !char.IsAsciiHexDigit(segment[i + 1]) || !char.IsAsciiHexDigit(segment[i + 2]))
                {
                    decoded = "";
                    return false;
                }

                bytes.Add((byte)((HexValue(segment[i + 1]) << 4) | HexValue(segment[i + 2])));
                i += 2;
                continue;
            }

            if (!Rune.TryGetRuneAt(segment, i, out var r))
            {
                decoded = "";
                return false;
            }

            var n = r.EncodeToUtf8(utf8);
            for (var k = 0; k < n; k++)
            {
                bytes.Add(utf8[k]);
            }

            i += r.Utf16SequenceLength - 1;
        }

        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
            return true;
        }
        catch (DecoderFallbackException)
        {
            decoded = "";
            return false;
        }
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>Escapes a string already known to be valid (a <see cref="ModulePath"/> or <see cref="ModuleVersion"/>).</summary>
    internal static string EscapeChecked(string s) => TryEscapeString(s, out var escaped, out _) ? escaped : s;

    private static bool TryEscapeString(string s, out string escaped, out ModuleError? error)
    {
        var upper = 0;
        foreach (var c in s)
        {
            if (c == '!' || c >= 0x80)
            {
                // Unreachable for checked paths; versions may still carry Unicode letters, which Go refuses here.
                escaped = "";
                error = new ModuleError(ModuleErrorKind.InvalidEscape, "internal error: inconsistency in EscapePath");
                return false;
            }

            if (char.IsAsciiLetterUpper(c))
            {
                upper++;
            }
        }

        error = null;
        if (upper == 0)
        {
            escaped = s;
            return true;
        }

        escaped = string.Create(s.Length + upper, s, static (dst, src) =>
        {
            var j = 0;
            foreach (var c in src)
            {
                if (char.IsAsciiLetterUpper(c))
                {
                    dst[j++] = '!';
                    dst[j++] = (char)(c | 0x20);
                }
                else
                {
                    dst[j++] = c;
                }
            }
        });
        return true;
    }

    private static bool TryUnescapeString(string escaped, out string result)
    {
        var bang = false;
        var bangs = 0;
        foreach (var c in escaped)
        {
            if (c >= 0x80)
            {
                result = "";
                return false;
            }

            if (bang)
            {
                bang = false;
                if (!char.IsAsciiLetterLower(c))
                {
                    result = "";
                    return false;
                }

                continue;
            }

            if (c == '!')
            {
                bang = true;
                bangs++;
                continue;
            }

            if (char.IsAsciiLetterUpper(c))
            {
                result = "";
                return false;
            }
        }

        if (bang)
        {
            result = "";
            return false;
        }

        if (bangs == 0)
        {
            result = escaped;
            return true;
        }

        result = string.Create(escaped.Length - bangs, escaped, static (dst, src) =>
        {
            var j = 0;
            for (var i = 0; i < src.Length; i++)
            {
                dst[j++] = src[i] == '!' ? (char)(src[++i] & ~0x20) : src[i];
            }
        });
        return true;
    }
}
