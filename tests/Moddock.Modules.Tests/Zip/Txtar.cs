using System.Text;

namespace Moddock.Modules.Tests.Zip;

/// <summary>
/// golang.org/x/tools/txtar: a comment, then files introduced by "-- NAME --" lines. A file's data
/// runs to the next marker and gets a final newline if it lacks one. Works on bytes, since Go's test
/// data holds invalid UTF-8 on purpose.
/// </summary>
internal sealed class Txtar
{
    private Txtar(byte[] comment, IReadOnlyList<(string Name, byte[] Data)> files)
    {
        Comment = comment;
        Files = files;
    }

    public byte[] Comment { get; }

    public IReadOnlyList<(string Name, byte[] Data)> Files { get; }

    public static Txtar Parse(byte[] data)
    {
        var files = new List<(string, byte[])>();
        byte[]? comment = null;
        string? name = null;
        var start = 0;
        var pos = 0;
        while (pos < data.Length)
        {
            var end = Array.IndexOf(data, (byte)'\n', pos);
            var lineEnd = end < 0 ? data.Length : end;
            var next = end < 0 ? data.Length : end + 1;
            if (MarkerName(data.AsSpan(pos, lineEnd - pos)) is { } marker)
            {
                Flush(data[start..pos]);
                name = marker;
                start = next;
            }

            pos = next;
        }

        Flush(data[start..]);
        return new Txtar(comment ?? [], files);

        void Flush(byte[] chunk)
        {
            if (name is null)
            {
                comment ??= chunk;
                return;
            }

            if (chunk.Length > 0 && chunk[^1] != '\n')
            {
                chunk = [.. chunk, (byte)'\n'];
            }

            files.Add((name, chunk));
        }
    }

    /// <summary>Decodes bytes as UTF-8, keeping each invalid byte as the lone surrogate U+DC00+byte (so "\xff" survives as U+DCFF).</summary>
    public static string DecodeLossless(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out var r, out var n) == System.Buffers.OperationStatus.Done)
            {
                sb.Append(r.ToString());
            }
            else
            {
                n = 1;
                sb.Append((char)(0xDC00 + bytes[0]));
            }

            bytes = bytes[n..];
        }

        return sb.ToString();
    }

    private static string? MarkerName(ReadOnlySpan<byte> line)
    {
        if (line.Length < 7 || !line.StartsWith("-- "u8) || !line.EndsWith(" --"u8))
        {
            return null;
        }

        return DecodeLossless(line[3..^3]).Trim();
    }
}
