using System.Text;
using Moddock.Modules.Text;

namespace Moddock.Modules.Paths;

/// <summary>
/// The element rules of golang.org/x/mod/module (checkPath, checkElem, SplitPathVersion). Methods return
/// the bare reason in Go's words, or null; callers wrap it ("malformed module path %q: ...").
/// </summary>
internal static class PathRules
{
    // module.badWindowsNames: reserved on Windows whatever the case or extension.
    private static readonly string[] BadWindowsNames =
    [
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];

    /// <summary>Go strings are bytes; here an unpaired surrogate is what invalid UTF-8 turns into.</summary>
    public static bool IsValidUtf16(ReadOnlySpan<char> s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
                continue;
            }

            return false;
        }

        return true;
    }

    public static string? CheckPath(string path, PathKind kind)
    {
        if (!IsValidUtf16(path))
        {
            return "invalid UTF-8";
        }

        if (path.Length == 0)
        {
            return "empty string";
        }

        if (path[0] == '-' && kind != PathKind.File)
        {
            return "leading dash";
        }

        if (path.Contains("//", StringComparison.Ordinal))
        {
            return "double slash";
        }

        if (path[^1] == '/')
        {
            return "trailing slash";
        }

        var span = path.AsSpan();
        var start = 0;
        for (var i = 0; i < span.Length; i++)
        {
            if (span[i] == '/')
            {
                if (CheckElem(span[start..i], kind) is { } err)
                {
                    return err;
                }

                start = i + 1;
            }
        }

        return CheckElem(span[start..], kind);
    }

    public static string? CheckElem(ReadOnlySpan<char> elem, PathKind kind)
    {
        if (elem.IsEmpty)
        {
            return "empty path element";
        }

        if (AsciiSpan.IsAll(elem, '.'))
        {
            return "invalid path element " + GoQuote.Quote(elem.ToString());
        }

        if (elem[0] == '.' && kind == PathKind.Module)
        {
            return "leading dot in path element";
        }

        if (elem[^1] == '.')
        {
            return "trailing dot in path element";
        }

        for (var i = 0; i < elem.Length; i++)
        {
            int r = elem[i];
            if (char.IsHighSurrogate(elem[i]) && i + 1 < elem.Length && char.IsLowSurrogate(elem[i + 1]))
            {
                r = char.ConvertToUtf32(elem[i], elem[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(elem[i]))
            {
                r = 0xFFFD; // what ranging over a bad byte yields in Go
            }

            var ok = kind switch
            {
                PathKind.Module => ModPathOk(r),
                PathKind.Import => ModPathOk(r) || r == '+',
                _ => FileNameOk(r),
            };
            if (!ok)
            {
                return "invalid char " + GoQuote.QuoteRune(r);
            }
        }

        var dot = elem.IndexOf('.');
        var shortName = dot >= 0 ? elem[..dot] : elem;
        foreach (var bad in BadWindowsNames)
        {
            if (EqualsAsciiIgnoreCase(shortName, bad))
            {
                return GoQuote.Quote(shortName.ToString()) + " disallowed as path element component on Windows";
            }
        }

        if (kind == PathKind.File)
        {
            // Windows short names (FOO~1) only matter for import paths.
            return null;
        }

        var tilde = shortName.LastIndexOf('~');
        if (tilde >= 0 && tilde < shortName.Length - 1 && AsciiSpan.IsAllDigits(shortName[(tilde + 1)..]))
        {
            return "trailing tilde and digits in path element";
        }

        return null;
    }

    /// <summary>module.SplitPathVersion: prefix + pathMajor == path; ok is false for a bad major suffix.</summary>
    public static (string Prefix, string PathMajor, bool Ok) SplitPathVersion(string path)
    {
        if (path.StartsWith("gopkg.in/", StringComparison.Ordinal))
        {
            return SplitGopkgIn(path);
        }

        var i = path.Length;
        var dot = false;
        while (i > 0 && (char.IsAsciiDigit(path[i - 1]) || path[i - 1] == '.'))
        {
            if (path[i - 1] == '.')
            {
                dot = true;
            }

            i--;
        }

        if (i <= 1 || i == path.Length || path[i - 1] != 'v' || path[i - 2] != '/')
        {
            return (path, "", true);
        }

        var prefix = path[..(i - 2)];
        var pathMajor = path[(i - 2)..];
        if (dot || pathMajor.Length <= 2 || pathMajor[2] == '0' || pathMajor == "/v1")
        {
            return (path, "", false);
        }

        return (prefix, pathMajor, true);
    }

    private static (string Prefix, string PathMajor, bool Ok) SplitGopkgIn(string path)
    {
        var i = path.Length;
        if (path.EndsWith("-unstable", StringComparison.Ordinal))
        {
            i -= "-unstable".Length;
        }

        while (i > 0 && char.IsAsciiDigit(path[i - 1]))
        {
            i--;
        }

        // Every gopkg.in path ends in .vN, even for v0 and v1.
        if (i <= 1 || path[i - 1] != 'v' || path[i - 2] != '.')
        {
            return (path, "", false);
        }

        var prefix = path[..(i - 2)];
        var pathMajor = path[(i - 2)..];
        if (pathMajor.Length <= 2 || (pathMajor[2] == '0' && pathMajor != ".v0"))
        {
            return (path, "", false);
        }

        return (prefix, pathMajor, true);
    }

    public static bool FirstPathOk(char r) => r == '-' || r == '.' || char.IsAsciiDigit(r) || char.IsAsciiLetterLower(r);

    private static bool ModPathOk(int r) =>
        r < 0x80 && (r == '-' || r == '.' || r == '_' || r == '~' || char.IsAsciiLetterOrDigit((char)r));

    private static bool FileNameOk(int r)
    {
        if (r < 0x80)
        {
            // ASCII punctuation minus shell specials " ' * < > ? ` | and separators / : \
            return char.IsAsciiLetterOrDigit((char)r) || "!#$%&()+,-.=@[]^_{}~ ".Contains((char)r, StringComparison.Ordinal);
        }

        return Rune.IsValid(r) && Rune.IsLetter(new Rune(r));
    }

    private static bool EqualsAsciiIgnoreCase(ReadOnlySpan<char> a, string b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            var c = a[i];
            if (c >= 0x80 || char.ToUpperInvariant(c) != b[i])
            {
                return false;
            }
        }

        return true;
    }
}
