using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace Moddock.Server.HotPath;

/// <summary>
/// The phase of one hot-path connection and the deadline that goes with it, changed by the
/// connection's own loop and, from other threads, by the heartbeat, a server shutdown and the end
/// of its Kestrel episode. Each of those may end a wait (cancelling the pending read) or cut a
/// stalled send, never anything else.
/// </summary>
internal sealed class HotConnectionPhase(ConnectionContext context, PipeReader input, TimeProvider time)
{
    private readonly Lock _sync = new();
    private HotPhase _phase;
    private long _deadline = long.MaxValue;
    private bool _closeRequested;
    private bool _kestrelEnded;

    /// <summary>The connection should end after the response it is sending (shutdown, a timeout, Kestrel's side gone).</summary>
    public bool CloseRequested
    {
        get
        {
            lock (_sync)
            {
                return _closeRequested;
            }
        }
    }

    /// <summary>Moves to a phase with a deadline of <paramref name="limit"/> after <paramref name="from"/>; false when the connection must end instead.</summary>
    public bool Enter(HotPhase phase, long from = 0, TimeSpan limit = default)
    {
        lock (_sync)
        {
            // A request already read is still answered during shutdown (as Kestrel does); only the next
            // wait ends. Kestrel, relayed to, handles a shutdown itself.
            if (_closeRequested && phase != HotPhase.Sending && !(phase == HotPhase.Relaying && !_kestrelEnded))
            {
                _phase = HotPhase.Done;
                return false;
            }

            _phase = phase;

            // While Kestrel answers or owns the input, its own limits apply, not the hot path's.
            _deadline = phase is HotPhase.Reading or HotPhase.Sending ? from + (long)(limit.TotalSeconds * time.TimestampFrequency) : long.MaxValue;
            return true;
        }
    }

    /// <summary>
    /// Called about once a second by the handler's heartbeat (as Kestrel checks its own limits):
    /// a wait past its limit is cancelled, so the read returns and the connection closes; a send
    /// past its limit (a client that stopped reading) cuts the connection, as Kestrel's
    /// MinResponseDataRate would.
    /// </summary>
    public void OnHeartbeat(long now)
    {
        lock (_sync)
        {
            if (now < _deadline)
            {
                return;
            }

            _deadline = long.MaxValue;
            switch (_phase)
            {
                case HotPhase.Reading:
                    _closeRequested = true;
                    input.CancelPendingRead();
                    break;
                case HotPhase.Sending:
                    context.Abort(new ConnectionAbortedException("the client read the response slower than the minimum data rate"));
                    break;
            }
        }
    }

    /// <summary>Server shutdown: an idle wait ends now; a response being sent or forwarded finishes first.</summary>
    public void OnShutdown()
    {
        lock (_sync)
        {
            _closeRequested = true;
            if (_phase == HotPhase.Reading)
            {
                input.CancelPendingRead();
            }
        }
    }

    /// <summary>
    /// Kestrel's side ended (its keep-alive timeout, a close, shutdown, an abort): the connection ends
    /// too, after the response being sent, if any (Kestrel's HTTP connection cannot be restarted).
    /// </summary>
    public void OnKestrelEnded()
    {
        lock (_sync)
        {
            _closeRequested = true;
            _kestrelEnded = true;
            if (_phase is HotPhase.Reading or HotPhase.Relaying)
            {
                input.CancelPendingRead();
            }
        }
    }

    public void End()
    {
        lock (_sync)
        {
            _phase = HotPhase.Done;
            _deadline = long.MaxValue;
        }
    }
}
