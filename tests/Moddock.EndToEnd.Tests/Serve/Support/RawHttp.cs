using System.Net.Sockets;
using System.Text;

namespace Moddock.EndToEnd.Tests.Serve.Support;

/// <summary>One HTTP/1.1 exchange over a bare socket, so the request target reaches the server byte for byte.</summary>
internal static class RawHttp
{
    public static async Task<(int Status, string Head, string Body)> SendAsync(int port, string method, string target)
    {
        using var client = new TcpClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync("127.0.0.1", port, cts.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes($"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), cts.Token);
        using var all = new MemoryStream();
        await stream.CopyToAsync(all, cts.Token);
        var text = Encoding.Latin1.GetString(all.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, head, split < 0 ? "" : text[(split + 4)..]);
    }
}
