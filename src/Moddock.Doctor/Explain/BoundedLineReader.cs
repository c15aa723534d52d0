using System.Text;

namespace Moddock.Doctor.Explain;

/// <summary>
/// Reads lines of any length without holding them: a line longer than <see cref="MaxLineChars"/> keeps
/// its head and its tail (the go command ends a line with the deepest error) and drops the middle, so a
/// 100 MB log with no newline costs a bounded amount of memory.
/// </summary>
internal sealed class BoundedLineReader(TextReader reader)
{
    public const int MaxLineChars = 16 * 1024;

    private const string Cut = " … ";
    private const int HeadChars = MaxLineChars / 2;
    private const int TailChars = MaxLineChars - HeadChars - 3; // 3: the length of Cut

    private readonly char[] _buffer = new char[64 * 1024];
    private readonly StringBuilder _line = new();
    private readonly StringBuilder _tail = new();
    private bool _cut;
    private int _pos;
    private int _len;
    private bool _eof;

    public async ValueTask<string?> ReadLineAsync(CancellationToken ct)
    {
        _line.Clear();
        _tail.Clear();
        _cut = false;
        var any = false;
        while (true)
        {
            if (_pos == _len)
            {
                if (_eof)
                {
                    return any ? Finish() : null;
                }

                _len = await reader.ReadAsync(_buffer.AsMemory(), ct).ConfigureAwait(false);
                _pos = 0;
                if (_len == 0)
                {
                    _eof = true;
                    continue;
                }
            }

            any = true;
            var span = _buffer.AsSpan(_pos, _len - _pos);
            var nl = span.IndexOf('\n');
            var take = nl < 0 ? span : span[..nl];
            var room = HeadChars - _line.Length;
            if (room > 0)
            {
                _line.Append(take[..Math.Min(room, take.Length)]);
                take = take[Math.Min(room, take.Length)..];
            }

            if (!take.IsEmpty)
            {
                _tail.Append(take.Length > TailChars ? take[^TailChars..] : take);
                _cut |= take.Length > TailChars || _tail.Length > TailChars;
                if (_tail.Length > TailChars)
                {
                    _tail.Remove(0, _tail.Length - TailChars);
                }
            }

            if (nl >= 0)
            {
                _pos += nl + 1;
                return Finish();
            }

            _pos = _len;
        }
    }

    private string Finish()
    {
        // Only a line that lost its middle gets the mark between head and tail.
        _line.Append(_cut ? Cut : string.Empty).Append(_tail);

        if (_line.Length > 0 && _line[^1] == '\r')
        {
            _line.Length--;
        }

        return _line.ToString();
    }
}
