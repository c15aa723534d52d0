using System.Buffers;

namespace Moddock.Server.Logging;

/// <summary>
/// Collects finished log lines in memory and writes them to a stream from one background thread,
/// as many lines per write(2) as have piled up. Request threads only copy bytes under a short lock
/// and wake the writer when it sleeps, instead of a queue hand-off and a flush per line. Once woken,
/// the writer gathers for up to <see cref="GatherDelay"/> (or until <see cref="GatherBytes"/> are
/// queued) before it writes: waking a thread per line cost ~4 µs of a request's CPU at 50k lines/s,
/// more than building the line. When the writer falls behind by <see cref="MaxPendingBytes"/>,
/// callers wait for it: lines are never dropped.
/// </summary>
internal sealed class JsonLineSink : IDisposable
{
    internal const int MaxPendingBytes = 4 << 20;

    /// <summary>A line waits at most this long for the lines after it (a log is read by people and tools, not per request).</summary>
    internal static readonly TimeSpan GatherDelay = TimeSpan.FromMilliseconds(20);

    /// <summary>Write at once when this much is queued, so a burst is written in 64 KiB batches.</summary>
    internal const int GatherBytes = 64 * 1024;

    private readonly Stream _output;
    private readonly object _gate = new();
    private readonly Thread _thread;
    private ArrayBufferWriter<byte> _pending = new(64 * 1024);
    private ArrayBufferWriter<byte> _writing = new(64 * 1024);
    private bool _writerAsleep;
    private bool _writerGathering;
    private int _callersWaiting;
    private bool _stopping;

    public JsonLineSink(Stream output)
    {
        _output = output;
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "moddock log writer" };
        _thread.Start();
    }

    /// <summary>Queues one line; <paramref name="line"/> holds no newline, one is added.</summary>
    public void Append(ReadOnlySpan<byte> line)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                // The writer is gone (host shut down): keep memory bounded rather than queue forever.
                return;
            }

            while (_pending.WrittenCount > MaxPendingBytes && !_stopping)
            {
                _callersWaiting++;
                Monitor.Wait(_gate);
                _callersWaiting--;
            }

            var span = _pending.GetSpan(line.Length + 1);
            line.CopyTo(span);
            span[line.Length] = (byte)'\n';
            _pending.Advance(line.Length + 1);
            if (_writerAsleep || (_writerGathering && _pending.WrittenCount >= GatherBytes))
            {
                _writerAsleep = false;
                _writerGathering = false;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Writes what is queued and stops the writer (bounded: a blocked stdout cannot hang shutdown).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        _thread.Join(TimeSpan.FromSeconds(5));
    }

    private void WriteLoop()
    {
        while (true)
        {
            ArrayBufferWriter<byte> batch;
            lock (_gate)
            {
                while (_pending.WrittenCount == 0 && !_stopping)
                {
                    _writerAsleep = true;
                    Monitor.Wait(_gate);
                }

                if (_pending.WrittenCount == 0)
                {
                    return;
                }

                if (!_stopping && _pending.WrittenCount < GatherBytes)
                {
                    _writerGathering = true;
                    Monitor.Wait(_gate, GatherDelay);
                    _writerGathering = false;
                }

                batch = _pending;
                _pending = _writing;
                _writing = batch;
                if (_callersWaiting > 0)
                {
                    Monitor.PulseAll(_gate);
                }
            }

            try
            {
                _output.Write(batch.WrittenSpan);
                _output.Flush();
            }
            catch (IOException)
            {
                // stdout closed (the reader went away): logging must never take the server down.
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            batch.ResetWrittenCount();
        }
    }
}
