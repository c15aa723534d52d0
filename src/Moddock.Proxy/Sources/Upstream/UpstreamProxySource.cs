using System.Text;
using Microsoft.Extensions.Logging;
using Moddock.Modules;
using Polly;
using Polly.CircuitBreaker;

namespace Moddock.Proxy.Sources.Upstream;

/// <summary>
/// A GOPROXY upstream over HTTP(S): timeouts per attempt (<see cref="UpstreamHttp"/>), retries and a circuit
/// breaker per upstream (<see cref="UpstreamResilience"/>). Bytes are passed on exactly as received.
/// </summary>
internal sealed partial class UpstreamProxySource : IModuleSource
{
    private readonly UpstreamEndpoint _endpoint;
    private readonly UpstreamHttp _http;
    private readonly UpstreamOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly ResiliencePipeline<UpstreamAttempt> _pipeline;
    private volatile LastFailure? _lastFailure;

    public UpstreamProxySource(
        UpstreamEndpoint endpoint,
        bool hasFallback,
        UpstreamOptions options,
        HttpMessageInvoker client,
        TimeProvider time,
        Func<double> random,
        ILogger logger)
    {
        _endpoint = endpoint;
        _options = options;
        _time = time;
        _logger = logger;
        _http = new UpstreamHttp(endpoint, client, options, time);
        _pipeline = UpstreamResilience.Build(options, hasFallback, time, random, _circuit, (a, n, delay) => Log.Retrying(_logger, _endpoint.Name, n, delay.TotalMilliseconds, a.Failure?.Reason));
    }

    public string Name => _endpoint.Name;

    public UpstreamStatus Status
    {
        get
        {
            var last = _lastFailure;
            var circuit = _circuit.CircuitState switch
            {
                CircuitState.Closed => "closed",
                CircuitState.Open => "open",
                CircuitState.HalfOpen => "half-open",
                _ => "isolated",
            };
            return new UpstreamStatus(Name, circuit, last?.Reason, last?.At);
        }
    }

    public async Task<SourceResult<IReadOnlyList<string>>> ListAsync(ModulePath path, CancellationToken ct)
    {
        var r = await GetBytesAsync(path, Relative(path, "@v/list"), ct).ConfigureAwait(false);
        if (!r.IsSuccess)
        {
            return SourceResult<IReadOnlyList<string>>.Fail(r.Failure);
        }

        var lines = Encoding.UTF8.GetString(r.Value!).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return SourceResult<IReadOnlyList<string>>.Ok(lines);
    }

    public async Task<SourceResult<VersionInfo>> InfoAsync(ModulePath path, string query, CancellationToken ct)
    {
        if (!ModuleEscaping.TryEscapeVersion(query, out var escaped, out var error))
        {
            return SourceResult<VersionInfo>.Fail(SourceFailureKind.NotFound, $"{query}: {error?.Message ?? "invalid version query"}");
        }

        return ParseInfo(await GetBytesAsync(path, Relative(path, "@v/" + Uri.EscapeDataString(escaped) + ".info"), ct).ConfigureAwait(false));
    }

    public async Task<SourceResult<VersionInfo>> LatestAsync(ModulePath path, CancellationToken ct) =>
        ParseInfo(await GetBytesAsync(path, Relative(path, "@latest"), ct).ConfigureAwait(false));

    public Task<SourceResult<byte[]>> ModAsync(ModulePath path, ModuleVersion version, CancellationToken ct) =>
        GetBytesAsync(path, Relative(path, "@v/" + Uri.EscapeDataString(version.Escaped) + ".mod"), ct);

    public async Task<SourceResult<long>> ZipAsync(ModulePath path, ModuleVersion version, Stream destination, CancellationToken ct)
    {
        var relative = Relative(path, "@v/" + Uri.EscapeDataString(version.Escaped) + ".zip");
        var announce = destination as IAnnouncedLength;
        var result = await RunAsync(
            path,
            relative,
            async token =>
            {
                // A retry starts the file again; a reader already past the start is told by the staging stream.
                destination.SetLength(0);
                destination.Position = 0;
                return await _http.GetAsync(relative, destination, _options.MaxZipBytes, len => announce?.Announce(len), token).ConfigureAwait(false);
            },
            ct).ConfigureAwait(false);
        return result.IsSuccess ? SourceResult<long>.Ok((long)result.Value!) : SourceResult<long>.Fail(result.Failure);
    }

    private static string Relative(ModulePath path, string tail) =>
        string.Join('/', path.Escaped.Split('/').Select(Uri.EscapeDataString)) + "/" + tail;

    private SourceResult<VersionInfo> ParseInfo(SourceResult<byte[]> r)
    {
        if (!r.IsSuccess)
        {
            return SourceResult<VersionInfo>.Fail(r.Failure);
        }

        return VersionInfoJson.TryParse(r.Value, out var info, out var error)
            ? SourceResult<VersionInfo>.Ok(info!)
            : SourceResult<VersionInfo>.Fail(SourceFailureKind.Invalid, $"{Name} sent an invalid .info: {error}");
    }

    private async Task<SourceResult<byte[]>> GetBytesAsync(ModulePath path, string relative, CancellationToken ct)
    {
        var result = await RunAsync(
            path,
            relative,
            async token =>
            {
                using var buffer = new MemoryStream();
                var attempt = await _http.GetAsync(relative, buffer, _options.MaxMetadataBytes, null, token).ConfigureAwait(false);
                return attempt.Failure is null ? UpstreamAttempt.Ok(buffer.ToArray()) : attempt;
            },
            ct).ConfigureAwait(false);
        return result.IsSuccess ? SourceResult<byte[]>.Ok((byte[])result.Value!) : SourceResult<byte[]>.Fail(result.Failure);
    }

    private async Task<SourceResult<object>> RunAsync(ModulePath path, string relative, Func<CancellationToken, Task<UpstreamAttempt>> attempt, CancellationToken ct)
    {
        UpstreamAttempt outcome;
        try
        {
            outcome = await _pipeline.ExecuteAsync(static async (a, token) => await a(token).ConfigureAwait(false), attempt, ct).ConfigureAwait(false);
        }
        catch (BrokenCircuitException)
        {
            var last = _lastFailure;
            var skipped = new SourceFailure(
                last?.Kind ?? SourceFailureKind.Other,
                $"{Name} skipped: circuit open after repeated failures (last: {last?.Reason ?? "unknown"})");
            Log.UpstreamFailed(_logger, Name, path.Value, relative, "circuit-open", skipped.Reason);
            return SourceResult<object>.Fail(skipped);
        }

        if (outcome.Failure is { } failure)
        {
            if (outcome.Class != FailureClass.None)
            {
                _lastFailure = new LastFailure(failure.Kind, failure.Reason, _time.GetUtcNow());
            }

            if (!failure.IsNotFound)
            {
                Log.UpstreamFailed(_logger, Name, path.Value, relative, failure.Kind.ToString().ToLowerInvariant(), failure.Reason);
            }

            return SourceResult<object>.Fail(failure);
        }

        return SourceResult<object>.Ok(outcome.Value!);
    }

    private sealed record LastFailure(SourceFailureKind Kind, string Reason, DateTimeOffset At);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "upstream {Upstream} failed for {Module} ({Request}): {Cause}: {Reason}")]
        public static partial void UpstreamFailed(ILogger logger, string upstream, string module, string request, string cause, string reason);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "retrying {Upstream} (attempt {Attempt}) in {DelayMs:0} ms after: {Reason}")]
        public static partial void Retrying(ILogger logger, string upstream, int attempt, double delayMs, string? reason);
    }
}
