using System.Text;

namespace Moddock.Doctor.Explain;

/// <summary>
/// Reads lines of any length without holding them: a line longer than <see cref="MaxLineChars"/> is
/// cut there and the rest skipped, so a 100 MB log with no newline costs a bounded amount of memory.
/// </summary>
internal sealed class BoundedLineReader(TextReader reader)
{
    public const int MaxLineChars = 16 * 1024;

    private readonly char[] _buffer = new char[64 * 1024];
    private readonly StringBuilder _line = new();
    private int _pos;
    private int _len;
    private bool _eof;

    public async ValueTask<string?> ReadLineAsync(CancellationToken ct)
    {
        _line.Clear();
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
            var room = MaxLineChars - _line.Length;
            if (room > 0)
            {
                _line.Append(take[..Math.Min(room, take.Length)]);
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
        if (_line.Length > 0 && _line[^1] == '\r')
        {
            _line.Length--;
        }

        return _line.ToString();
    }
}
