using System.Text;
using System.Text.RegularExpressions;

namespace Moddock.Sumdb.Tests.Support;

/// <summary>Reads Go's own sumdb test files (Debian's x/mod) at test time; nothing is copied into the repo.</summary>
internal static partial class GoTestData
{
    public const string Root = "/usr/share/gocode/src/golang.org/x/mod/sumdb";

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    /// <summary>The first Go double-quoted string literal assigned as `name := "..."` (or `name = "..."`).</summary>
    public static string Assigned(string source, string name)
    {
        var m = Regex.Match(source, "\\b" + Regex.Escape(name) + "\\s*:?=\\s*(\"(?:[^\"\\\\]|\\\\.)*\")");
        Assert.True(m.Success, "no literal for " + name);
        return Unquote(m.Groups[1].Value);
    }

    /// <summary>Go's interpreted string literal (the escapes the sumdb tests use).</summary>
    public static string Unquote(string lit)
    {
        var s = lit[1..^1];
        var sb = new StringBuilder();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\')
            {
                sb.Append(s[i]);
                continue;
            }

            var c = s[++i];
            switch (c)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case '\\': sb.Append('\\'); break;
                case '"': sb.Append('"'); break;
                case 'x': sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 2), 16)); i += 2; break;
                default: throw new FormatException("unsupported escape \\" + c);
            }
        }

        return sb.ToString();
    }

    /// <summary>tlog_test.go's tilePaths table: (path, H, L, N, W) with valid=false for `Tile{}` rows.</summary>
    public static IEnumerable<(string Path, bool Valid, int H, int L, long N, int W)> TilePaths()
    {
        var src = Read("tlog/tlog_test.go");
        foreach (Match m in TileRow().Matches(src))
        {
            if (m.Groups[2].Value.Length == 0)
            {
                yield return (m.Groups[1].Value, false, 0, 0, 0, 0);
            }
            else
            {
                var f = m.Groups[2].Value.Split(',').Select(x => long.Parse(x.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                yield return (m.Groups[1].Value, true, (int)f[0], (int)f[1], f[2], (int)f[3]);
            }
        }
    }

    [GeneratedRegex("\\{\"(tile/[^\"]*)\", Tile\\{([-0-9, ]*)\\}\\}")]
    private static partial Regex TileRow();
}
