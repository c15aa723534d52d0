using System.Text;
using Moddock.Server.Logging;

namespace Moddock.Server.Tests.Logging;

public sealed class JsonLineSinkTests
{
    /// <summary>A stream that records what was written and when, safe to read from the test thread.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly MemoryStream _inner = new();
        private readonly Lock _gate = new();

        public int Writes { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return Encoding.UTF8.GetString(_inner.ToArray());
                }
            }
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (_gate)
            {
                _inner.Write(buffer, offset, count);
                Writes++;
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Append_OneLineThenQuiet_WrittenWithoutWaitingForDispose()
    {
        var output = new RecordingStream();
        using var sink = new JsonLineSink(output);

        sink.Append("{\"a\":1}"u8);
        for (var wait = 0; output.Text.Length == 0 && wait < 200; wait++)
        {
            await Task.Delay(25); // the writer gathers for JsonLineSink.GatherDelay (20 ms) at most
        }

        Assert.Equal("{\"a\":1}\n", output.Text);
    }

    [Fact]
    public void Append_BurstOfLines_GatheredIntoFewWritesAndAllKept()
    {
        var output = new RecordingStream();
        var sink = new JsonLineSink(output);

        for (var i = 0; i < 20_000; i++)
        {
            sink.Append(Encoding.UTF8.GetBytes($"{{\"i\":{i}}}"));
        }

        sink.Dispose();

        var lines = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(0, 20_000).Select(i => $"{{\"i\":{i}}}"), lines);

        // Not one write per line: the writer is woken once and then gathers (or takes 64 KiB at a time).
        Assert.True(output.Writes < 2_000, $"{output.Writes} writes for 20000 lines");
    }
}
