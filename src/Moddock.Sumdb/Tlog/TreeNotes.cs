using System.Globalization;
using System.Text;

namespace Moddock.Sumdb.Tlog;

/// <summary>tlog.FormatTree/ParseTree and FormatRecord/ParseRecord: the text formats of the checksum database.</summary>
internal static class TreeNotes
{
    private const string TreePrefix = "go.sum database tree\n";

    public static string FormatTree(TlogTree tree) => $"{TreePrefix}{tree.N.ToString(CultureInfo.InvariantCulture)}\n{tree.Hash}\n";

    /// <summary>Text is "go.sum database tree\nN\nbase64hash\n" followed by lines that are ignored; N canonical decimal.</summary>
    public static bool TryParseTree(string text, out TlogTree tree)
    {
        tree = default;
        if (!text.StartsWith(TreePrefix, StringComparison.Ordinal) || text.Count(c => c == '\n') < 3 || text.Length > 1_000_000)
        {
            return false;
        }

        var lines = text.Split('\n', 4);
        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 0
            || lines[1] != n.ToString(CultureInfo.InvariantCulture) || !TlogHash.TryParse(lines[2], out var h))
        {
            return false;
        }

        tree = new TlogTree(n, h);
        return true;
    }

    /// <summary>Record text: valid UTF-8, no control characters but '\n', no blank lines, ends in '\n'.</summary>
    public static bool IsValidRecordText(ReadOnlySpan<byte> text)
    {
        if (text.Length == 0 || text[^1] != (byte)'\n' || !System.Text.Unicode.Utf8.IsValid(text))
        {
            return false;
        }

        byte last = 0;
        foreach (var b in text)
        {
            if ((b < 0x20 && b != (byte)'\n') || (last == (byte)'\n' && b == (byte)'\n'))
            {
                return false;
            }

            last = b;
        }

        return true;
    }

    public static byte[] FormatRecord(long id, ReadOnlySpan<byte> text)
    {
        if (!IsValidRecordText(text))
        {
            throw new ArgumentException("malformed record data", nameof(text));
        }

        return [.. Encoding.ASCII.GetBytes(id.ToString(CultureInfo.InvariantCulture) + "\n"), .. text, (byte)'\n'];
    }

    /// <summary>A lookup response: "id\n" record text "\n" then the signed tree note (rest).</summary>
    public static bool TryParseRecord(ReadOnlySpan<byte> msg, out long id, out byte[] text, out byte[] rest)
    {
        id = 0;
        text = [];
        rest = [];
        var i = msg.IndexOf((byte)'\n');
        if (i < 0 || !long.TryParse(msg[..i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out id))
        {
            return false;
        }

        msg = msg[(i + 1)..];
        var j = msg.IndexOf("\n\n"u8);
        if (j < 0)
        {
            return false;
        }

        var t = msg[..(j + 1)];
        if (!IsValidRecordText(t))
        {
            return false;
        }

        text = t.ToArray();
        rest = msg[(j + 2)..].ToArray();
        return true;
    }
}
