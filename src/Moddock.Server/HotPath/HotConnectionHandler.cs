using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Moddock.Server.Caching;
using Moddock.Server.Endpoints;

namespace Moddock.Server.HotPath;

/// <summary>
/// Connection middleware in front of Kestrel's HTTP/1.1 handling that answers cache hits itself:
/// a GET or HEAD whose target is in <see cref="MemoryArtifactCache"/> gets its prebuilt head and
/// body written straight to the socket, a zip with sendfile(2) from the stored file. Kestrel has
/// no zero-copy path: every body it sends is copied into its response pipe and again into the
/// socket, which held a 1 MiB zip to ~0.4–0.6× nginx (bench/serve/notes.md). Any other request in
/// the narrow grammar of <see cref="HotRequestParser"/> (a miss, a list, /readyz) is answered by
/// Kestrel on the same connection, one request at a time (<see cref="KestrelEpisode"/>), so the
/// hits that follow on that keep-alive connection are still answered here. The first request
/// outside the grammar gives Kestrel the rest of the connection. Installed only on
/// plain-text listeners without client authentication (ModdockServerHost): TLS needs Kestrel's
/// stream, and auth is enforced by middleware behind Kestrel.
/// </summary>
internal sealed class HotConnectionHandler(
    MemoryArtifactCache memory,
    HotPathLimits limits,
    TimeProvider time,
    ILogger<ModuleEndpoint> requestLogger,
    ILogger<HotConnectionHandler> logger) : IDisposable
{
    /// <summary>Kestrel's own heartbeat period: time limits are checked once a second, not per request.</summary>
    internal static readonly TimeSpan HeartbeatPeriod = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<HotConnection, byte> _open = new();
    private readonly Lock _timerGate = new();
    private ITimer? _heartbeat;
    private long _served;
    private long _handedOver;
    private long _forwarded;

    /// <summary>
    /// MODDOCK_HOT_PATH=off leaves every request to Kestrel; it exists so bench/serve can measure
    /// both paths side by side and as an escape hatch, not as a tuning knob.
    /// </summary>
    public static bool EnabledByEnvironment =>
        !string.Equals(Environment.GetEnvironmentVariable("MODDOCK_HOT_PATH"), "off", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether the hot path may stand in front of Kestrel: everything that would judge a request after
    /// Kestrel parsed it must be absent, since the hot path answers first. TLS needs Kestrel's stream;
    /// client auth and host filtering (ASP.NET Core's AllowedHosts, which the slim host honours) run as
    /// middleware behind it; and MODDOCK_HOT_PATH=off.
    /// </summary>
    public static bool CanRunWith(bool tls, bool clientAuth, HostFilteringOptions hostFiltering)
    {
        ArgumentNullException.ThrowIfNull(hostFiltering);
        var anyHost = hostFiltering.AllowedHosts is not { Count: > 0 } hosts || hosts.Contains("*");
        return !tls && !clientAuth && anyHost && EnabledByEnvironment;
    }

    /// <summary>Whether the host put the middleware on a listener (<see cref="InstallOn"/>).</summary>
    public bool Installed { get; private set; }

    /// <summary>Responses the hot path wrote itself (for tests and diagnostics).</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>Connections given to Kestrel with a request still unanswered (the rest of their input is Kestrel's).</summary>
    public long HandedOver => Interlocked.Read(ref _handedOver);

    /// <summary>Requests Kestrel answered on a connection the hot path kept (misses, lists, /readyz…).</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Connections the hot path holds right now (for tests: none may be left once clients are gone).</summary>
    internal int OpenConnections => _open.Count;

    internal MemoryArtifactCache Memory => memory;

    internal HotPathLimits Limits => limits;

    internal TimeProvider Time => time;

    internal HttpDateHeader Date { get; } = new(time);

    internal ILogger RequestLogger => requestLogger;

    internal ILogger Logger => logger;

    /// <summary>Puts the middleware in front of Kestrel's HTTP handling on this listener.</summary>
    public void InstallOn(ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => context => RunAsync(context, next));
        Installed = true;
    }

    internal void CountServed() => Interlocked.Increment(ref _served);

    internal void CountForwarded() => Interlocked.Increment(ref _forwarded);

    internal void CountHandedOver() => Interlocked.Increment(ref _handedOver);

    public void Dispose()
    {
        lock (_timerGate)
        {
            _heartbeat?.Dispose();
            _heartbeat = null;
        }
    }

    private void EnsureHeartbeat()
    {
        if (Volatile.Read(ref _heartbeat) is not null)
        {
            return;
        }

        lock (_timerGate)
        {
            _heartbeat ??= time.CreateTimer(static s => ((HotConnectionHandler)s!).Beat(), this, HeartbeatPeriod, HeartbeatPeriod);
        }
    }

    private void Beat()
    {
        var now = time.GetTimestamp();
        foreach (var connection in _open.Keys)
        {
            connection.OnHeartbeat(now);
        }
    }

    private async Task RunAsync(ConnectionContext context, ConnectionDelegate next)
    {
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is null || memory.BudgetBytes == 0)
        {
            await next(context);
            return;
        }

        EnsureHeartbeat();
        bool handOver;
        using (var connection = new HotConnection(this, context, socket, next))
        {
            _open.TryAdd(connection, 0);
            try
            {
                handOver = await connection.RunAsync();
            }
            finally
            {
                _open.TryRemove(connection, out _);
            }
        }

        if (handOver)
        {
            CountHandedOver();
            await next(context);
        }
    }
}
