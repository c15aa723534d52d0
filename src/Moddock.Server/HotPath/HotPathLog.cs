using Microsoft.Extensions.Logging;

namespace Moddock.Server.HotPath;

internal static partial class HotPathLog
{
    [LoggerMessage(EventId = 40, EventName = "KestrelEpisodeFailed", Level = LogLevel.Error,
        Message = "Kestrel's HTTP handling failed on a connection shared with the hot path")]
    public static partial void KestrelFailed(ILogger logger, Exception exception);
}
