using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;

namespace Moddock.Server.HotPath;

/// <summary>
/// Kestrel's HTTP/1.1 handling running on one connection beside the hot path, fed one request at a
/// time. Kestrel's transport is replaced by two pipes: the hot path writes exactly the head of a
/// request it does not answer into Kestrel's input, and a pump sends whatever Kestrel writes to its
/// output straight to the socket (one pipe hop, as Kestrel's own socket transport has). A forwarded
/// request is done when Kestrel's response has ended (the request's Response.OnCompleted, which
/// Kestrel raises after the last byte is committed: <see cref="ForwardedResponses"/>) and every byte
/// Kestrel committed up to then has been sent; only then does the hot path read or answer the next
/// request, so responses leave in request order. When Kestrel ends its side (keep-alive timeout, a
/// "Connection: close" response, a 400, shutdown, an abort) the connection ends after its bytes:
/// Kestrel's HTTP connection cannot be restarted on the same transport, since its timers stay
/// registered on the connection's heartbeat and would later act on a finished episode.
/// </summary>
internal sealed class KestrelEpisode
{
    /// <summary>The connection's Items key under which <see cref="ForwardedResponses"/> finds the episode.</summary>
    internal static readonly object ItemKey = new();

    /// <summary>Kestrel's default MaxRequestBufferSize and MaxResponseBufferSize: the same backpressure as its socket transport.</summary>
    private const long InputBufferSize = 1024 * 1024;
    private const long OutputBufferSize = 64 * 1024;

    private readonly ConnectionContext _context;
    private readonly IDuplexPipe _transport;
    private readonly HotSocket _socket;
    private readonly ILogger _logger;
    private readonly Action _onEnded;
    private readonly Pipe _input;
    private readonly Pipe _output;
    private readonly CountingPipeWriter _kestrelOutput;
    private readonly Lock _gate = new();
    private Task _kestrel = Task.CompletedTask;
    private Task _pump = Task.CompletedTask;
    private CancellationTokenRegistration _onClosed;

    // Guarded by _gate: the forwarded request awaiting its response, and where that response ends.
    private TaskCompletionSource<ForwardOutcome>? _waiting;
    private long _responseEnd = -1;
    private bool _responseCloses;
    private long _sent;
    private bool _ended;
    private bool _inputCompleted;

    private KestrelEpisode(ConnectionContext context, HotSocket socket, ILogger logger, Action onEnded)
    {
        _context = context;
        _transport = context.Transport;
        _socket = socket;
        _logger = logger;
        _onEnded = onEnded;
        var pool = context.Features.Get<IMemoryPoolFeature>()?.MemoryPool ?? MemoryPool<byte>.Shared;

        // Both pipes resume inline: the hot path's flush of a forwarded head runs Kestrel's request up
        // to its first real wait on the thread that read the head (for a request answered at once,
        // the answer is sent before the flush returns), and Kestrel's flushes run the pump, which
        // usually sends at once: no thread hop per forwarded request.
        _input = new Pipe(new PipeOptions(pool, PipeScheduler.Inline, PipeScheduler.Inline, InputBufferSize, InputBufferSize / 2, useSynchronizationContext: false));
        _output = new Pipe(new PipeOptions(pool, PipeScheduler.Inline, PipeScheduler.Inline, OutputBufferSize, OutputBufferSize / 2, useSynchronizationContext: false));
        _kestrelOutput = new CountingPipeWriter(_output.Writer);
    }

    /// <summary>Starts Kestrel (<paramref name="next"/>) on pipes in place of the connection's transport.</summary>
    /// <param name="onEnded">Called once when Kestrel's side has ended, from the pump.</param>
    public static KestrelEpisode Start(ConnectionContext context, HotSocket socket, ConnectionDelegate next, ILogger logger, Action onEnded)
    {
        var episode = new KestrelEpisode(context, socket, logger, onEnded);
        context.Items[ItemKey] = episode;
        context.Transport = new EpisodeTransport(episode._input.Reader, episode._kestrelOutput);
        episode._pump = episode.PumpAsync();
        episode._kestrel = episode.RunKestrelAsync(next);
        episode._onClosed = context.ConnectionClosed.UnsafeRegister(static s => ((KestrelEpisode)s!).OnConnectionClosed(), episode);
        return episode;
    }

    /// <summary>Gives Kestrel one request head and waits until its whole response is on the socket, or Kestrel's side ended.</summary>
    public async Task<ForwardOutcome> ForwardAsync(ReadOnlySequence<byte> head)
    {
        var waiting = new TaskCompletionSource<ForwardOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_ended)
            {
                return ForwardOutcome.Ended;
            }

            _waiting = waiting;
            _responseEnd = -1;
        }

        // Kestrel may answer and end inline, within the write (a "Connection: close" request): then its
        // input is complete but the answer is out.
        var taken = await WriteInputAsync(head);
        return taken || waiting.Task.IsCompleted ? await waiting.Task : ForwardOutcome.Ended;
    }

    /// <summary>
    /// Bytes for Kestrel's input: a forwarded head, or raw bytes once Kestrel owns the rest of the
    /// connection. False when Kestrel no longer reads (its side ended).
    /// </summary>
    public async ValueTask<bool> WriteInputAsync(ReadOnlySequence<byte> bytes)
    {
        try
        {
            foreach (var segment in bytes)
            {
                _input.Writer.Write(segment.Span);
            }

            return !(await _input.Writer.FlushAsync()).IsCompleted;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or OperationCanceledException or ConnectionAbortedException)
        {
            return false; // Kestrel completed its input with an error: it is done with this connection
        }
    }

    /// <summary>
    /// Called by <see cref="ForwardedResponses"/> from Kestrel's Response.OnCompleted: everything committed
    /// so far belongs to the responses up to this one. <paramref name="closes"/>: it said "Connection: close".
    /// </summary>
    public void OnResponseCompleted(bool closes)
    {
        lock (_gate)
        {
            _responseEnd = _kestrelOutput.Written;
            _responseCloses = closes;
            FinishIfSentLocked();
        }
    }

    /// <summary>
    /// Ends the episode: Kestrel's input reaches its end (it finishes the request in progress, if
    /// any, and stops), then this waits for Kestrel to return and for its last bytes to be sent, and
    /// gives the connection its own transport back. Called once, from the hot path, which no longer
    /// writes to Kestrel's input.
    /// </summary>
    public async Task EndAsync()
    {
        CompleteInput();
        await _kestrel;
        await _pump;
        await _onClosed.DisposeAsync();
        _context.Items.Remove(ItemKey);
        _context.Transport = _transport;
    }

    /// <summary>The client finished sending: Kestrel reads the end of its input after what it has.</summary>
    public void CompleteInput()
    {
        if (!_inputCompleted)
        {
            _inputCompleted = true;
            _input.Writer.Complete();
        }
    }

    private async Task RunKestrelAsync(ConnectionDelegate next)
    {
        try
        {
            await next(_context);
        }
        catch (Exception e)
        {
            HotPathLog.KestrelFailed(_logger, e);
        }
        finally
        {
            // Kestrel no longer reads or writes: a write waiting on its input returns, and the pump
            // ends even if Kestrel left its output open.
            await _input.Reader.CompleteAsync();
            await _kestrelOutput.CompleteAsync();
        }
    }

    private async Task PumpAsync()
    {
        var reader = _output.Reader;
        Exception? failure = null;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync();
                var buffer = read.Buffer;
                var length = buffer.Length; // the segments go back to the pool on AdvanceTo
                if (length > 0)
                {
                    await _socket.SendAsync(buffer);
                }

                lock (_gate)
                {
                    _sent += length;
                    FinishIfSentLocked();
                }

                // After the count: advancing may resume Kestrel inline, up to its Response.OnCompleted.
                reader.AdvanceTo(buffer.End);

                if (read.IsCompleted || read.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            // The client is gone or stopped reading: Kestrel's request is aborted as with its own transport.
            failure = e;
            _context.Abort(new ConnectionAbortedException("the forwarded response could not be sent", e));
        }
        finally
        {
            await reader.CompleteAsync(failure);
            End();
        }
    }

    private void OnConnectionClosed()
    {
        // The socket is closed: nothing more can be sent, whatever Kestrel is still doing.
        lock (_gate)
        {
            _waiting?.TrySetResult(ForwardOutcome.Ended);
            _waiting = null;
        }
    }

    private void End()
    {
        lock (_gate)
        {
            _ended = true;
            _waiting?.TrySetResult(ForwardOutcome.Ended);
            _waiting = null;
        }

        _onEnded();
    }

    private void FinishIfSentLocked()
    {
        if (_waiting is null || _responseEnd < 0 || _sent < _responseEnd)
        {
            return;
        }

        _waiting.TrySetResult(_responseCloses ? ForwardOutcome.AnsweredClose : ForwardOutcome.Answered);
        _waiting = null;
        _responseEnd = -1;
    }
}
