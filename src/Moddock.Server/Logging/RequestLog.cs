using Microsoft.Extensions.Logging;

namespace Moddock.Server.Logging;

/// <summary>
/// The per-request log line. With the JSON console formatter each named placeholder becomes a
/// property of one JSON object per request, so the lines can be filtered with jq.
/// </summary>
internal static partial class RequestLog
{
    [LoggerMessage(EventId = 1, EventName = "Request", Level = LogLevel.Information,
        Message = "{Method} {Module} {Version} {Kind} cache={Cache} upstream={Upstream} status={Status} duration_ms={DurationMs}")]
    public static partial void Request(ILogger logger, string method, string? module, string? version, string kind, string cache, string? upstream, int status, double durationMs);

    [LoggerMessage(EventId = 2, EventName = "Rejected", Level = LogLevel.Information,
        Message = "{Method} rejected status={Status} reason={Reason} duration_ms={DurationMs}")]
    public static partial void Rejected(ILogger logger, string method, int status, string reason, double durationMs);

    [LoggerMessage(EventId = 3, EventName = "ResolverFailed", Level = LogLevel.Error,
        Message = "resolving {Module} {Kind} {Version} threw")]
    public static partial void ResolverFailed(ILogger logger, Exception exception, string module, string kind, string? version);

    [LoggerMessage(EventId = 4, EventName = "ClientGone", Level = LogLevel.Debug,
        Message = "client went away while {Module} {Kind} {Version} was being served")]
    public static partial void ClientGone(ILogger logger, string module, string kind, string? version);

    [LoggerMessage(EventId = 5, EventName = "StreamFailed", Level = LogLevel.Warning,
        Message = "serving {Module} {Kind} {Version} failed mid-body, connection aborted: {Reason}")]
    public static partial void StreamFailed(ILogger logger, string module, string kind, string? version, string reason);

    [LoggerMessage(EventId = 6, EventName = "Superseded", Level = LogLevel.Information,
        Message = "{Module} {Kind} {Version}: {Reason}; answering with the stored copy")]
    public static partial void Superseded(ILogger logger, string module, string kind, string? version, string reason);

    [LoggerMessage(EventId = 7, EventName = "CachedFileDamaged", Level = LogLevel.Warning,
        Message = "stored {Module} {Kind} {Version} is no longer {Length} bytes on disk: dropped from the memory cache, the next request goes to the store")]
    public static partial void CachedFileDamaged(ILogger logger, string module, string kind, string? version, long length);

    [LoggerMessage(EventId = 10, EventName = "Listening", Level = LogLevel.Information,
        Message = "moddock serve listening on {Listen}, storage {Storage}, upstream {Upstream}, offline={Offline}")]
    public static partial void Listening(ILogger logger, string listen, string storage, string upstream, bool offline);
}
