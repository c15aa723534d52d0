using System.Buffers;
using System.Text;
using Moddock.Server.HotPath;

namespace Moddock.Server.Tests.HotPath;

public sealed class HotRequestParserTests
{
    private const string Target = "/example.com/m/@v/v1.0.0.zip";

    private static HotParseStatus Parse(string head, out HotRequest request) =>
        HotRequestParser.TryParse(Encoding.Latin1.GetBytes(head).AsSpan(), out request);

    private static string Get(string fields, string requestLine = "GET " + Target + " HTTP/1.1") =>
        requestLine + "\r\n" + fields + "\r\n";

    [Fact]
    public void TryParse_GoClientGet_CompleteWithTargetAndLength()
    {
        var head = Get("Host: 127.0.0.1:3000\r\nUser-Agent: Go-http-client/1.1\r\nAccept-Encoding: gzip\r\n");

        Assert.Equal(HotParseStatus.Complete, Parse(head + "GET /next", out var request));

        Assert.Equal(new HotRequest(IsHead: false, Target, Close: false, head.Length), request);
    }

    [Fact]
    public void TryParse_Head_CompleteAsHead()
    {
        Assert.Equal(HotParseStatus.Complete, Parse(Get("Host: h\r\n", "HEAD " + Target + " HTTP/1.1"), out var request));
        Assert.True(request.IsHead);
    }

    [Theory]
    [InlineData("Connection: close")]
    [InlineData("connection: Keep-Alive, CLOSE")]
    [InlineData("Connection:close")]
    public void TryParse_ConnectionClose_MarksClose(string field)
    {
        Assert.Equal(HotParseStatus.Complete, Parse(Get("Host: h\r\n" + field + "\r\n"), out var request));
        Assert.True(request.Close);
    }

    [Fact]
    public void TryParse_TargetWithQueryAndEscapes_KeptByteForByte()
    {
        const string raw = "/example.com/!azure/@v/v1.0.0%2Bincompatible.info?x=1";
        Assert.Equal(HotParseStatus.Complete, Parse(Get("Host: h\r\n", "GET " + raw + " HTTP/1.1"), out var request));
        Assert.Equal(raw, request.Target);
    }

    [Theory]
    [InlineData("")]
    [InlineData("GET " + Target)]
    [InlineData("GET " + Target + " HTTP/1.1\r\nHost: h\r\n")]
    [InlineData("GET " + Target + " HTTP/1.1\r\nHost: h\r\nUser-Agent: x\r\n\r")]
    public void TryParse_HeadNotEndedYet_Incomplete(string partial) =>
        Assert.Equal(HotParseStatus.Incomplete, Parse(partial, out _));

    [Fact]
    public void TryParse_HeadSplitAcrossSegments_SameAsContiguous()
    {
        var head = Encoding.Latin1.GetBytes(Get("Host: 127.0.0.1\r\nConnection: close\r\n"));
        var first = new Segment(head.AsMemory(0, 7));
        var last = first.Append(head.AsMemory(7));
        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);

        Assert.Equal(HotParseStatus.Complete, HotRequestParser.TryParse(sequence, out var request));
        Assert.Equal(new HotRequest(false, Target, true, head.Length), request);
    }

    public static TheoryData<string, string> HandedOver() => new()
    {
        { "POST", Get("Host: h\r\nContent-Length: 0\r\n", "POST " + Target + " HTTP/1.1") },
        { "OPTIONS", Get("Host: h\r\n", "OPTIONS * HTTP/1.1") },
        { "lower-case method", Get("Host: h\r\n", "get " + Target + " HTTP/1.1") },
        { "HTTP/1.0", Get("Host: h\r\n", "GET " + Target + " HTTP/1.0") },
        { "HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" },
        { "fragment", Get("Host: h\r\n", "GET " + Target + "#x HTTP/1.1") },
        { "control byte in target", Get("Host: h\r\n", "GET /a\u0001b HTTP/1.1") },
        { "no Host", Get("User-Agent: x\r\n") },
        { "two Hosts", Get("Host: a\r\nHost: b\r\n") },
        { "empty Host", Get("Host: \r\n") },
        { "Host with a path", Get("Host: a/b\r\n") },
        { "Host with two colons", Get("Host: a:1:2\r\n") },
        { "Host with an empty port", Get("Host: a:\r\n") },
        { "Host that is only a port", Get("Host: :80\r\n") },
        { "Host with a letter port", Get("Host: a:b\r\n") },
        { "Host with an unclosed bracket", Get("Host: [::1\r\n") },
        { "Host with a stray bracket", Get("Host: a]\r\n") },
        { "Host with a non-hex IPv6", Get("Host: [x]\r\n") },
        { "Host with text after the IPv6", Get("Host: [::1]x\r\n") },
        { "Content-Length", Get("Host: h\r\nContent-Length: 5\r\n") },
        { "Transfer-Encoding", Get("Host: h\r\nTransfer-Encoding: chunked\r\n") },
        { "Expect", Get("Host: h\r\nExpect: 100-continue\r\n") },
        { "Upgrade", Get("Host: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n") },
        { "Connection: upgrade alone", Get("Host: h\r\nConnection: upgrade\r\n") },
        { "Range", Get("Host: h\r\nRange: bytes=0-1\r\n") },
        { "If-None-Match", Get("Host: h\r\nIf-None-Match: \"x\"\r\n") },
        { "If-Modified-Since", Get("Host: h\r\nif-modified-since: Thu, 01 Jan 1970 00:00:00 GMT\r\n") },
        { "obs-fold", Get("Host: h\r\nX-A: 1\r\n  continued\r\n") },
        { "space before colon", Get("Host : h\r\n") },
        { "empty field name", Get("Host: h\r\n: x\r\n") },
        { "bare LF inside a field", Get("Host: h\r\nX-A: 1\nX-B: 2\r\n") },
        { "NUL in a value", Get("Host: h\r\nX-A: a\u0000b\r\n") },
        { "byte above 0x7F in a value", Get("Host: h\r\nX-A: caf\u00e9\r\n") },
        { "leading blank line", "\r\n" + Get("Host: h\r\n") },
        { "bare LF line ends", "GET " + Target + " HTTP/1.1\nHost: h\n\n" },
        { "bare LF after the request line", "GET " + Target + " HTTP/1.1\nHost: h\r\n" },
        { "101 fields", Get("Host: h\r\n" + string.Concat(Enumerable.Range(0, 100).Select(i => $"X-{i}: v\r\n"))) },
        { "head over 8 KiB", Get("Host: h\r\nX-Big: " + new string('a', 8200) + "\r\n") },
        { "no end within 8 KiB", "GET " + Target + " HTTP/1.1\r\nHost: h\r\nX-Big: " + new string('a', 9000) },
    };

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1:3000")]
    [InlineData("[::1]")]
    [InlineData("[::1]:3000")]
    [InlineData("[::ffff:127.0.0.1]:80")]
    [InlineData("proxy.corp_1.example:65535")]
    public void TryParse_HostShapesClientsSend_Complete(string host)
    {
        Assert.Equal(HotParseStatus.Complete, Parse(Get("Host: " + host + "\r\n"), out _));
    }

    [Theory]
    [InlineData("GET /example.com/\u00e9/@v/list HTTP/1.1", "raw byte 0xe9")]
    [InlineData("HEAD /example.com/caf\u00c3\u00a9/@v/list HTTP/1.1", "raw byte 0xc3")]
    [InlineData("GET /example.com/m b/@v/list HTTP/1.1", "space")]
    [InlineData("GET /example.com/m%00/@v/list HTTP/1.1", "escaped NUL")]
    [InlineData("GET /example.com/m/@v/v1.0.0.zip%00.txt HTTP/1.1", "escaped NUL")]
    [InlineData("GET /example.com/m/@v/v1.0.0\u0000.zip HTTP/1.1", "raw NUL")]
    [InlineData("GET http://h/example.com/m/@v/list HTTP/1.1", "must be a path")]
    [InlineData("GET * HTTP/1.1", "must be a path")]
    [InlineData("HEAD example.com/m/@v/list HTTP/1.1", "must be a path")]
    [InlineData("GET  /example.com/m/@v/list HTTP/1.1", "must be a path")]
    [InlineData("GET /example.com/m b/@v/list HTTP/1.0", "space")]
    [InlineData("GET /example.com/m/@v/list\u0000 HTTP/1.0", "raw NUL")]
    [InlineData("GET /example.com/m%00/@v/list HTTP/1.0", "escaped NUL")]
    [InlineData("HEAD /example.com/m/@v/list?x=\u0000 HTTP/1.1", "raw NUL")]
    public void TryParse_TargetKestrelRefusesBare_RejectedWithReasonAndClose(string requestLine, string reason)
    {
        var head = Get("Host: h\r\n", requestLine);

        Assert.Equal(HotParseStatus.Reject, Parse(head, out var request));

        Assert.Contains(reason, request.Rejection, StringComparison.Ordinal);
        Assert.True(request.Close);
        Assert.Equal(head.Length, request.HeadLength);
    }

    [Theory]
    [InlineData("GET /")]
    [InlineData("HEAD /")]
    public void TryParse_RequestLineLongerThanKestrelTakes_Rejected414WithReason(string start)
    {
        var head = start + new string('a', HotRequestParser.MaxHeadLength);

        Assert.Equal(HotParseStatus.Reject, Parse(head, out var request));

        Assert.Equal(414, request.Status);
        Assert.Contains("longer than", request.Rejection, StringComparison.Ordinal);
        Assert.True(request.Close);
    }

    [Fact]
    public void TryParse_EscapedNulOnlyInTheQuery_NotRejected()
    {
        Assert.Equal(HotParseStatus.Complete, Parse(Get("Host: h\r\n", "GET /example.com/m/@v/list?x=%00 HTTP/1.1"), out _));
    }

    [Theory]
    [MemberData(nameof(HandedOver))]
    public void TryParse_OutsideTheNarrowGrammar_HandedOverToKestrel(string why, string head)
    {
        Assert.True(HotParseStatus.HandOver == Parse(head, out _), why);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
