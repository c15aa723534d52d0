using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Moddock.Doctor.Probes.Dns;
using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Tests.Probes;

/// <summary>The hand-written DNS client against a fake resolver on 127.0.0.1 that answers each way a real one can.</summary>
public sealed class DnsQueryTests
{
    [Theory]
    [InlineData(3, CauseIds.DnsNxdomain)]
    [InlineData(2, CauseIds.DnsServfail)]
    [InlineData(-1, CauseIds.DnsTimeout)]
    public async Task ResolveAsync_ResolverAnswer_NamesCause(int rcode, string cause)
    {
        using var server = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var ep = (IPEndPoint)server.Client.LocalEndPoint!;
        using var stop = new CancellationTokenSource();
        var serving = Serve(server, rcode, stop.Token);
        // Short only where the timeout is the point: an answer given at once can still take longer than 300 ms
        // to arrive on a busy machine (a CI run read SERVFAIL as a timeout).
        var silent = rcode < 0;
        var resolver = new HostResolver(new ResolvConf([ep], silent ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(10), 1, "test", false));

        var r = await resolver.ResolveAsync("proxy.corp.example", silent ? TimeSpan.FromMilliseconds(600) : TimeSpan.FromSeconds(20), CancellationToken.None);
        await stop.CancelAsync();

        Assert.Equal(cause, r.Cause);
        Assert.Empty(r.Addresses);
        await serving;
    }

    [Fact]
    public async Task ResolveAsync_ResolverAnswersA_ReturnsAddress()
    {
        using var server = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var ep = (IPEndPoint)server.Client.LocalEndPoint!;
        using var stop = new CancellationTokenSource();
        var serving = Serve(server, 0, stop.Token);
        var resolver = new HostResolver(new ResolvConf([ep], TimeSpan.FromSeconds(10), 1, "test", false));

        var r = await resolver.ResolveAsync("proxy.corp.example", TimeSpan.FromSeconds(20), CancellationToken.None);
        await stop.CancelAsync();

        Assert.Null(r.Cause);
        Assert.Equal(IPAddress.Parse("10.1.2.3"), Assert.Single(r.Addresses));
        await serving;
    }

    [Fact]
    public async Task ResolveAsync_NothingListens_NamesUnavailable()
    {
        var port = Moddock.Testing.FreePort.Next();
        var resolver = new HostResolver(new ResolvConf([new IPEndPoint(IPAddress.Loopback, port)], TimeSpan.FromSeconds(1), 1, "test", false));

        var r = await resolver.ResolveAsync("proxy.corp.example", TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.Equal(CauseIds.DnsUnavailable, r.Cause);
    }

    [Fact]
    public async Task ResolveAsync_InvalidTld_NxdomainWithoutQuery()
    {
        var resolver = new HostResolver(new ResolvConf([new IPEndPoint(IPAddress.Loopback, 9)], TimeSpan.FromSeconds(1), 1, "test", false));

        var r = await resolver.ResolveAsync("goproxy.nonexistent.invalid", TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(CauseIds.DnsNxdomain, r.Cause);
    }

    // rcode -1: never answer; 0: answer A 10.1.2.3 (and no AAAA); otherwise answer with that rcode.
    private static async Task Serve(UdpClient server, int rcode, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var q = await server.ReceiveAsync(ct);
                if (rcode < 0)
                {
                    continue;
                }

                var req = q.Buffer;
                var qtype = BinaryPrimitives.ReadUInt16BigEndian(req.AsSpan(req.Length - 4));
                var resp = new List<byte>(req);
                resp[2] = 0x81;
                resp[3] = (byte)(0x80 | rcode);
                if (rcode == 0 && qtype == 1)
                {
                    resp[7] = 1; // ANCOUNT
                    resp.AddRange([0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 1, 2, 3]);
                }

                await server.SendAsync(resp.ToArray(), q.RemoteEndPoint, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
