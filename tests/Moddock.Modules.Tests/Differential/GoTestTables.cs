using System.Globalization;
using Moddock.Modules.Text;

namespace Moddock.Modules.Tests.Differential;

/// <summary>
/// Go's own test tables, read at test time from Debian's golang.org/x/mod sources (never copied into this
/// repository): every string literal of a _test.go file becomes an input. Invalid UTF-8 in a literal
/// ("\xFF") survives as a lone surrogate (see GoBytes).
/// </summary>
internal static class GoTestTables
{
    public const string XMod = "/usr/share/gocode/src/golang.org/x/mod";

    public static IReadOnlyList<string> Literals(string relativeFile) =>
        Scan(File.ReadAllText(Path.Combine(XMod, relativeFile))).Select(l => l.Value).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The literals inside one function of a test file, from its "func Name(" to the next top-level func.</summary>
    public static IReadOnlyList<string> LiteralsInFunc(string relativeFile, string funcName)
    {
        var text = File.ReadAllText(Path.Combine(XMod, relativeFile));
        var start = text.IndexOf("\nfunc " + funcName + "(", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"{funcName} not found in {relativeFile}");
        }

        var end = text.IndexOf("\nfunc ", start + 1, StringComparison.Ordinal);
        if (end < 0)
        {
            end = text.Length;
        }

        return Scan(text).Where(l => l.Offset > start && l.Offset < end).Select(l => l.Value).Distinct(StringComparer.Ordinal).ToList();
    }

    public static IReadOnlyList<string> AllLiterals(params string[] files) =>
        files.SelectMany(Literals).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>A tolerant scanner of Go source: skips comments and rune literals, decodes string literals to bytes.</summary>
    public static IEnumerable<(int Offset, string Value)> Scan(string src)
    {
        var i = 0;
        while (i < src.Length)
        {
            var c = src[i];
            if (c == '/' && i + 1 < src.Length && src[i + 1] == '/')
            {
                i = src.IndexOf('\n', i) is var nl and >= 0 ? nl : src.Length;
            }
            else if (c == '/' && i + 1 < src.Length && src[i + 1] == '*')
            {
                i = src.IndexOf("*/", i + 2, StringComparison.Ordinal) is var e and >= 0 ? e + 2 : src.Length;
            }
            else if (c == '`')
            {
                var end = src.IndexOf('`', i + 1);
                if (end < 0)
                {
                    yield break;
                }

                yield return (i, src[(i + 1)..end].Replace("\r", "", StringComparison.Ordinal));
                i = end + 1;
            }
            else if (c == '"' || c == '\'')
            {
                var start = i;
                var bytes = new List<byte>();
                i++;
                while (i < src.Length && src[i] != c && src[i] != '\n')
                {
                    if (src[i] == '\\' && i + 1 < src.Length)
                    {
                        i = Unescape(src, i + 1, bytes);
                    }
                    else
                    {
                        var rune = char.ConvertToUtf32(src, i);
                        bytes.AddRange(GoBytes.Encode(char.ConvertFromUtf32(rune)));
                        i += rune > 0xFFFF ? 2 : 1;
                    }
                }

                i++;
                if (c == '"')
                {
                    yield return (start, GoBytes.Decode(bytes.ToArray()));
                }
            }
            else
            {
                i++;
            }
        }
    }

    private static int Unescape(string src, int i, List<byte> bytes)
    {
        var e = src[i];
        switch (e)
        {
            case 'a': bytes.Add(7); return i + 1;
            case 'b': bytes.Add(8); return i + 1;
            case 'f': bytes.Add(12); return i + 1;
            case 'n': bytes.Add(10); return i + 1;
            case 'r': bytes.Add(13); return i + 1;
            case 't': bytes.Add(9); return i + 1;
            case 'v': bytes.Add(11); return i + 1;
            case 'x':
                bytes.Add(byte.Parse(src.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                return i + 3;
            case 'u' or 'U':
                var n = e == 'u' ? 4 : 8;
                var cp = int.Parse(src.AsSpan(i + 1, n), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                bytes.AddRange(GoBytes.Encode(char.ConvertFromUtf32(cp)));
                return i + 1 + n;
            case >= '0' and <= '7':
                bytes.Add((byte)Convert.ToInt32(src.Substring(i, 3), 8));
                return i + 3;
            default:
                bytes.AddRange(GoBytes.Encode(e.ToString()));
                return i + 1;
        }
    }
}
