using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Moddock.Server.Caching;
using Moddock.Server.Logging;

namespace Moddock.Server.HotPath;

/// <summary>
/// One connection while the hot path owns it: read a request head from the transport's input, answer
/// a cache hit on the socket, give any other request in the parser's grammar to Kestrel through a
/// <see cref="KestrelEpisode"/> and wait for its response to be sent, repeat; until the connection
/// should end (client gone, Connection: close, a timeout, server shutdown, Kestrel's side ending).
/// A request outside the grammar hands the connection to Kestrel: unread, as a whole, when Kestrel
/// has not run on it yet; otherwise every further input byte goes to the episode's Kestrel.
/// Nothing is ever written to the transport's output pipe, so Kestrel's socket sender stays idle
/// while the socket is written here, and Kestrel starts from a clean connection after a handover.
/// </summary>
internal sealed class HotConnection : IDisposable
{
    /// <summary>Room for a head and a small body (an .info, most .mod files) in one send.</summary>
    private const int BufferSize = 16 * 1024;

    private static readonly byte[] CloseLine = "Connection: close\r\n\r\n"u8.ToArray();
    private static readonly byte[] EndLine = "\r\n"u8.ToArray();

    private readonly HotConnectionHandler _handler;
    private readonly ConnectionContext _context;
    private readonly PipeReader _input;
    private readonly HotSocket _socket;
    private readonly ConnectionDelegate _next;
    private readonly HotConnectionPhase _phase;
    private readonly CancellationTokenRegistration _onShutdown;
    private KestrelEpisode? _episode;

    public HotConnection(HotConnectionHandler handler, ConnectionContext context, Socket socket, ConnectionDelegate next)
    {
        _handler = handler;
        _context = context;
        _input = context.Transport.Input;
        _socket = new HotSocket(socket);
        _next = next;
        _phase = new HotConnectionPhase(context, _input, handler.Time);
        var lifetime = context.Features.Get<IConnectionLifetimeNotificationFeature>();
        _onShutdown = lifetime is null
            ? default
            : lifetime.ConnectionClosedRequested.UnsafeRegister(static s => ((HotConnectionPhase)s!).OnShutdown(), _phase);
    }

    /// <summary>True when Kestrel should take the connection over (its next request is unread in the pipe).</summary>
    public async Task<bool> RunAsync()
    {
        try
        {
            return await ServeAsync();
        }
        finally
        {
            if (_episode is { } episode)
            {
                _phase.Enter(HotPhase.Done);
                await episode.EndAsync();
            }
        }
    }

    private async Task<bool> ServeAsync()
    {
        var input = _input;
        long headStarted = 0;
        var limits = _handler.Limits;
        while (true)
        {
            // Kestrel's keep-alive limit while idle, its request-headers limit once a head has started.
            if (!_phase.Enter(HotPhase.Reading, headStarted == 0 ? _handler.Time.GetTimestamp() : headStarted, headStarted == 0 ? limits.KeepAlive : limits.RequestHeaders))
            {
                return false;
            }

            ReadResult read;
            try
            {
                read = await input.ReadAsync();
            }
            catch (Exception e) when (IsConnectionEnd(e))
            {
                return false; // the client went away
            }

            var buffer = read.Buffer;
            if (read.IsCanceled)
            {
                // The heartbeat found the wait past its limit, or the server is shutting down: close.
                input.AdvanceTo(buffer.Start);
                return false;
            }

            var request = default(HotRequest);
            var status = buffer.IsEmpty ? HotParseStatus.Incomplete : HotRequestParser.TryParse(buffer, out request);
            if (status == HotParseStatus.Incomplete)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    return false;
                }

                headStarted = headStarted == 0 && !buffer.IsEmpty ? _handler.Time.GetTimestamp() : headStarted;
                continue;
            }

            if (status == HotParseStatus.Reject)
            {
                input.AdvanceTo(buffer.GetPosition(request.HeadLength));
                await RejectAsync(request);
                return false;
            }

            if (status == HotParseStatus.HandOver)
            {
                input.AdvanceTo(buffer.Start);
                if (_episode is null)
                {
                    return _phase.Enter(HotPhase.Done); // Kestrel's from here, unless the connection must end
                }

                await RelayAsync(_episode);
                return false;
            }

            if (!TryLease(request, out var entry))
            {
                headStarted = 0;
                if (!await ForwardAsync(buffer.Slice(0, request.HeadLength)))
                {
                    return false;
                }

                continue;
            }

            input.AdvanceTo(buffer.GetPosition(request.HeadLength));
            headStarted = 0;
            var started = _handler.Time.GetTimestamp();
            bool sent;
            var damaged = false;
            try
            {
                sent = await SendAsync(entry, request);
                damaged = !sent && !entry.IsWhole(); // checked under the lease, while the handle is surely open
            }
            finally
            {
                entry.Release();
            }

            if (!sent)
            {
                if (damaged)
                {
                    // The stored file shrank under the send: the client got a cut body (the connection ends, so it
                    // cannot take it for whole); the next request must not be answered from this handle again.
                    Evict(request, entry);
                }
                else
                {
                    RequestLog.ClientGone(_handler.Logger, entry.Module, entry.Kind, entry.Version);
                }

                return false;
            }

            _handler.CountServed();
            RequestLog.Request(_handler.RequestLogger, request.IsHead ? "HEAD" : "GET", entry.Module, entry.Version, entry.Kind, "hit", null, 200,
                _handler.Time.GetElapsedTime(started).TotalMilliseconds);
            if (request.Close)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// A request in the grammar that is not a hit: Kestrel answers it on this connection (started on
    /// the first such request), and the hot path reads nothing more until that answer is on the
    /// socket. False when the connection ends with it.
    /// </summary>
    private async Task<bool> ForwardAsync(ReadOnlySequence<byte> head)
    {
        if (!_phase.Enter(HotPhase.Forwarding))
        {
            _input.AdvanceTo(head.Start);
            return false;
        }

        var episode = _episode ??= KestrelEpisode.Start(_context, _socket, _next, _handler.Logger, _phase.OnKestrelEnded);
        _handler.CountForwarded();
        ForwardOutcome outcome;
        try
        {
            outcome = await episode.ForwardAsync(head);
        }
        finally
        {
            _input.AdvanceTo(head.End);
        }

        return outcome == ForwardOutcome.Answered;
    }

    /// <summary>
    /// A request outside the grammar after Kestrel has answered on this connection: from now on every
    /// byte the client sends goes to Kestrel as it arrives, until either side ends.
    /// </summary>
    private async Task RelayAsync(KestrelEpisode episode)
    {
        _handler.CountHandedOver();
        if (!_phase.Enter(HotPhase.Relaying))
        {
            return;
        }

        while (true)
        {
            ReadResult read;
            try
            {
                read = await _input.ReadAsync();
            }
            catch (Exception e) when (IsConnectionEnd(e))
            {
                break;
            }

            var buffer = read.Buffer;
            if (read.IsCanceled)
            {
                _input.AdvanceTo(buffer.Start);
                return; // Kestrel's side ended
            }

            bool taken;
            try
            {
                taken = await episode.WriteInputAsync(buffer);
            }
            finally
            {
                _input.AdvanceTo(buffer.End);
            }

            if (!taken)
            {
                return; // Kestrel's side ended
            }

            if (read.IsCompleted)
            {
                break;
            }
        }

        episode.CompleteInput(); // the client is done sending; Kestrel finishes what it has
    }

    /// <summary>Called about once a second by the handler's heartbeat: see <see cref="HotConnectionPhase.OnHeartbeat"/>.</summary>
    public void OnHeartbeat(long now) => _phase.OnHeartbeat(now);

    public void Dispose()
    {
        _phase.End();
        _onShutdown.Dispose();
        _socket.Dispose();
    }

    private static bool IsConnectionEnd(Exception e) =>
        e is OperationCanceledException or IOException or SocketException or ObjectDisposedException
            or ConnectionAbortedException or ConnectionResetException;

    private bool TryLease(HotRequest request, out CachedArtifact entry)
    {
        if (!_handler.Memory.TryGet(MemoryArtifactCache.KeyFor(request.Target), out entry!))
        {
            entry = null!;
            return false;
        }

        if (!entry.TryAcquire())
        {
            return false;
        }

        if (!entry.IsWhole())
        {
            // Damaged on disk since it was cached: Kestrel's endpoint takes this request to the resolver.
            entry.Release();
            Evict(request, entry);
            return false;
        }

        if (entry.Length > int.MaxValue - BufferSize)
        {
            // SendPacketsElement counts in int; no module zip comes near (500 MiB limit), but say no rather than cut.
            entry.Release();
            return false;
        }

        return true;
    }

    private void Evict(HotRequest request, CachedArtifact entry)
    {
        if (_handler.Memory.TryRemove(MemoryArtifactCache.KeyFor(request.Target), entry))
        {
            RequestLog.CachedFileDamaged(_handler.Logger, entry.Module, entry.Kind, entry.Version, entry.Length);
        }
    }

    /// <summary>Writes the whole response; false when the connection broke or stalled past the send limit.</summary>
    private async ValueTask<bool> SendAsync(CachedArtifact entry, HotRequest request)
    {
        // Rented per response, not per connection: thousands of idle keep-alive connections hold nothing.
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            return await SendAsync(entry, request, buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<bool> SendAsync(CachedArtifact entry, HotRequest request, byte[] buffer)
    {
        var bodyLength = request.IsHead ? 0 : entry.Length;
        if (!_phase.Enter(HotPhase.Sending, _handler.Time.GetTimestamp(), _handler.Limits.SendLimit(entry.HotHead.Length + 64 + bodyLength)))
        {
            return false;
        }

        // Shutdown (or Kestrel's end) requested while this request was read: it is answered, and says
        // the connection ends (as Kestrel does).
        var headLength = WriteHead(buffer, entry, request.Close || _phase.CloseRequested);

        try
        {
            if (bodyLength == 0)
            {
                await _socket.SendAsync(buffer.AsMemory(0, headLength));
            }
            else if (entry.Body is { } body && headLength + body.Length <= buffer.Length)
            {
                body.CopyTo(buffer, headLength);
                await _socket.SendAsync(buffer.AsMemory(0, headLength + body.Length));
            }
            else if (entry.Body is { } large)
            {
                await _socket.SendAsync(buffer.AsMemory(0, headLength));
                await _socket.SendAsync(large);
            }
            else
            {
                await _socket.SendFileAsync(buffer, headLength, entry.File!, (int)entry.Length);
            }
        }
        catch (Exception e) when (IsConnectionEnd(e))
        {
            return false;
        }

        return true;
    }

    /// <summary>400 (or 414) with the one-line reason (the shape of ErrorResponse), then the connection ends, as Kestrel's own 400 would.</summary>
    private async Task RejectAsync(HotRequest request)
    {
        var started = _handler.Time.GetTimestamp();
        var body = Encoding.UTF8.GetBytes(request.Rejection + "\n");
        var statusLine = request.Status == 414 ? "HTTP/1.1 414 URI Too Long\r\n" : "HTTP/1.1 400 Bad Request\r\n";
        var head = Encoding.ASCII.GetBytes(
            statusLine + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + body.Length.ToString(CultureInfo.InvariantCulture) + "\r\nConnection: close\r\n");
        var response = new byte[head.Length + _handler.Date.Line.Length + 2 + (request.IsHead ? 0 : body.Length)];
        head.CopyTo(response, 0);
        _handler.Date.Line.CopyTo(response.AsSpan(head.Length));
        "\r\n"u8.CopyTo(response.AsSpan(head.Length + _handler.Date.Line.Length));
        if (!request.IsHead)
        {
            body.CopyTo(response, response.Length - body.Length);
        }

        if (!_phase.Enter(HotPhase.Sending, started, _handler.Limits.SendLimit(response.Length)))
        {
            return;
        }

        try
        {
            await _socket.SendAsync(response);
        }
        catch (Exception e) when (IsConnectionEnd(e))
        {
            return;
        }

        RequestLog.Rejected(_handler.RequestLogger, request.IsHead ? "HEAD" : "GET", request.Status, request.Rejection!, _handler.Time.GetElapsedTime(started).TotalMilliseconds);
    }

    private int WriteHead(byte[] buffer, CachedArtifact entry, bool close)
    {
        var span = buffer.AsSpan();
        entry.HotHead.CopyTo(span);
        var n = entry.HotHead.Length;
        var date = _handler.Date.Line;
        date.CopyTo(span[n..]);
        n += date.Length;
        var end = close ? CloseLine : EndLine;
        end.CopyTo(span[n..]);
        return n + end.Length;
    }
}
