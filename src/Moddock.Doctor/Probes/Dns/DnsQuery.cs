using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Moddock.Doctor.Probes.Dns;

/// <summary>
/// A minimal DNS client over UDP (RFC 1035 §4): one question, recursion desired, A or AAAA; it reads
/// the answer code and the address records. Hand-written because no DNS package restores here
/// (DnsClient is not in the mirror) and the OS resolver API hides the difference between NXDOMAIN,
/// SERVFAIL and a timeout, which is the whole point of the DNS check.
/// </summary>
internal static class DnsQuery
{
    public const ushort TypeA = 1;
    public const ushort TypeAaaa = 28;

    public static async Task<DnsAnswer> AskAsync(IPEndPoint server, string name, ushort type, TimeSpan timeout, CancellationToken ct)
    {
        var id = (ushort)Random.Shared.Next(ushort.MaxValue);
        var query = Build(id, name, type);
        using var udp = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await udp.ConnectAsync(server, cts.Token).ConfigureAwait(false);
            await udp.SendAsync(query, SocketFlags.None, cts.Token).ConfigureAwait(false);
            var buffer = new byte[4096];
            while (true)
            {
                var n = await udp.ReceiveAsync(buffer, SocketFlags.None, cts.Token).ConfigureAwait(false);
                if (n >= 12 && BinaryPrimitives.ReadUInt16BigEndian(buffer) == id)
                {
                    return Parse(buffer.AsSpan(0, n), type);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return new DnsAnswer(DnsOutcome.Timeout, [], $"no answer from {server} within {timeout.TotalSeconds:0.#}s");
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.AddressNotAvailable or SocketError.AccessDenied or SocketError.ConnectionReset)
        {
            return new DnsAnswer(DnsOutcome.Unreachable, [], $"{server}: {Describe(e.SocketErrorCode)}");
        }
    }

    private static string Describe(SocketError e) => e switch
    {
        SocketError.ConnectionRefused or SocketError.ConnectionReset => "connection refused (nothing listens on port 53)",
        SocketError.NetworkUnreachable => "network is unreachable",
        SocketError.HostUnreachable => "no route to host",
        _ => e.ToString(),
    };

    private static byte[] Build(ushort id, string name, ushort type)
    {
        var bytes = new List<byte>(64);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], 0x0100); // standard query, recursion desired
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1);
        bytes.AddRange(header.ToArray());
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            var b = Encoding.ASCII.GetBytes(label);
            bytes.Add((byte)Math.Min(b.Length, 63));
            bytes.AddRange(b.Take(63));
        }

        bytes.Add(0);
        bytes.Add((byte)(type >> 8));
        bytes.Add((byte)type);
        bytes.Add(0);
        bytes.Add(1); // class IN
        return bytes.ToArray();
    }

    internal static DnsAnswer Parse(ReadOnlySpan<byte> msg, ushort type)
    {
        var flags = BinaryPrimitives.ReadUInt16BigEndian(msg[2..]);
        var rcode = flags & 0xF;
        var qd = BinaryPrimitives.ReadUInt16BigEndian(msg[4..]);
        var an = BinaryPrimitives.ReadUInt16BigEndian(msg[6..]);
        switch (rcode)
        {
            case 3:
                return new DnsAnswer(DnsOutcome.NxDomain, [], "NXDOMAIN: the name does not exist");
            case 2:
                return new DnsAnswer(DnsOutcome.ServFail, [], "SERVFAIL: the resolver failed to answer");
            case 5:
                return new DnsAnswer(DnsOutcome.Refused, [], "REFUSED: the resolver refused the query");
            case not 0:
                return new DnsAnswer(DnsOutcome.ServFail, [], $"rcode {rcode}");
        }

        var pos = 12;
        for (var i = 0; i < qd; i++)
        {
            pos = SkipName(msg, pos) + 4;
        }

        var addrs = new List<IPAddress>();
        for (var i = 0; i < an && pos + 10 <= msg.Length; i++)
        {
            pos = SkipName(msg, pos);
            if (pos + 10 > msg.Length)
            {
                break;
            }

            var rrType = BinaryPrimitives.ReadUInt16BigEndian(msg[pos..]);
            var len = BinaryPrimitives.ReadUInt16BigEndian(msg[(pos + 8)..]);
            pos += 10;
            if (pos + len > msg.Length)
            {
                break;
            }

            if (rrType == type && ((type == TypeA && len == 4) || (type == TypeAaaa && len == 16)))
            {
                addrs.Add(new IPAddress(msg.Slice(pos, len)));
            }

            pos += len;
        }

        return new DnsAnswer(DnsOutcome.Answer, addrs, addrs.Count == 0 ? "no records" : string.Join(", ", addrs));
    }

    private static int SkipName(ReadOnlySpan<byte> msg, int pos)
    {
        while (pos < msg.Length)
        {
            var len = msg[pos];
            if (len == 0)
            {
                return pos + 1;
            }

            if ((len & 0xC0) == 0xC0)
            {
                return pos + 2; // compression pointer ends the name
            }

            pos += len + 1;
        }

        return msg.Length;
    }
}
