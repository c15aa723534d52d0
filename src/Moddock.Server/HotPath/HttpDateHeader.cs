using System.Globalization;
using System.Text;

namespace Moddock.Server.HotPath;

/// <summary>
/// The "Date: ...\r\n" header line (RFC 9110 §6.6.1, IMF-fixdate), rebuilt at most once per second
/// like Kestrel's own date header, so a response copies bytes instead of formatting a date.
/// </summary>
internal sealed class HttpDateHeader(TimeProvider time)
{
    private Stamp? _current;

    public ReadOnlySpan<byte> Line
    {
        get
        {
            var now = time.GetUtcNow();
            var second = now.ToUnixTimeSeconds();
            var current = Volatile.Read(ref _current);
            if (current is null || current.Second != second)
            {
                current = new Stamp(second, Encoding.ASCII.GetBytes("Date: " + now.ToString("r", CultureInfo.InvariantCulture) + "\r\n"));
                Volatile.Write(ref _current, current);
            }

            return current.Bytes;
        }
    }

    private sealed record Stamp(long Second, byte[] Bytes);
}
