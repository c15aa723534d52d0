using System.Net.Sockets;
using System.Text;

namespace Moddock.Server.Tests.Support;

internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}

/// <summary>
/// HTTP/1.1 over a bare socket, so a test controls the request target byte for byte (HttpClient
/// would normalise "..", "%2e" and backslashes before they reach the server).
/// </summary>
internal static class RawHttp
{
    public static async Task<RawResponse> SendAsync(int port, string method, string target, string? extraHeaders = null)
    {
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync("127.0.0.1", port, cts.Token);
        var stream = client.GetStream();
        var request = $"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n{extraHeaders}\r\n";
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request), cts.Token);
        using var all = new MemoryStream();
        await stream.CopyToAsync(all, cts.Token);
        return Parse(all.ToArray(), isHead: method == "HEAD");
    }

    private static RawResponse Parse(byte[] raw, bool isHead)
    {
        var end = IndexOf(raw, "\r\n\r\n"u8);
        if (end < 0)
        {
            throw new InvalidOperationException("no complete response head: " + Encoding.Latin1.GetString(raw));
        }

        var (status, headers) = ParseHead(raw.AsSpan(0, end));
        var body = raw.AsSpan(end + 4).ToArray();
        if (!isHead && headers.TryGetValue("transfer-encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        return new RawResponse(status, headers, body);
    }

    /// <summary>The status code and the headers (names lower-cased) of a response head without its blank line.</summary>
    public static (int Status, Dictionary<string, string> Headers) ParseHead(ReadOnlySpan<byte> head)
    {
        var lines = Encoding.Latin1.GetString(head).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        return (status, headers);
    }

    private static byte[] Dechunk(byte[] body)
    {
        using var output = new MemoryStream();
        var i = 0;
        while (true)
        {
            var lineEnd = IndexOf(body.AsSpan(i), "\r\n"u8) + i;
            var size = Convert.ToInt32(Encoding.ASCII.GetString(body, i, lineEnd - i).Split(';')[0], 16);
            if (size == 0)
            {
                return output.ToArray();
            }

            output.Write(body, lineEnd + 2, size);
            i = lineEnd + 2 + size + 2;
        }
    }

    private static int IndexOf(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle) => haystack.IndexOf(needle);
}
