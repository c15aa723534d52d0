using Microsoft.Extensions.Logging;

namespace Moddock.Server.Hosting;

/// <summary>Log lines of the TLS listener (certificate loaded, reloaded, reload refused, expiring).</summary>
internal static partial class TlsLog
{
    [LoggerMessage(EventId = 60, EventName = "TlsCertificateLoaded", Level = LogLevel.Information,
        Message = "TLS on: certificate {Subject}, valid until {NotAfter:O}")]
    public static partial void Loaded(ILogger logger, string subject, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 61, EventName = "TlsCertificateReloaded", Level = LogLevel.Information,
        Message = "TLS certificate files changed, reloaded: certificate {Subject}, valid until {NotAfter:O}")]
    public static partial void Reloaded(ILogger logger, string subject, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 62, EventName = "TlsReloadRefused", Level = LogLevel.Warning,
        Message = "TLS certificate files changed but cannot be used, still serving {Subject}: {Problems}")]
    public static partial void ReloadRefused(ILogger logger, string subject, string problems);

    [LoggerMessage(EventId = 63, EventName = "TlsCertificateExpiring", Level = LogLevel.Warning,
        Message = "TLS certificate {Subject} expires on {NotAfter:O}, in {DaysLeft} day(s); replace the files, they are reloaded without a restart")]
    public static partial void Expiring(ILogger logger, string subject, DateTimeOffset notAfter, int daysLeft);

    [LoggerMessage(EventId = 64, EventName = "TlsPlainHttp", Level = LogLevel.Information,
        Message = "plain http from {Remote} on the https listener {Local}: answered 400, use https")]
    public static partial void PlainHttp(ILogger logger, string remote, string local);
}
