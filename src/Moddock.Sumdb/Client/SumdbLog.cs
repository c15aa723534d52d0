using Microsoft.Extensions.Logging;

namespace Moddock.Sumdb.Client;

internal static partial class SumdbLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Critical, Message = "SECURITY ERROR: checksum database {Name} misbehaved:\n{Detail}")]
    public static partial void SecurityError(ILogger logger, string name, string detail);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "checksum database {Name}: tree advanced from {OldSize} to {NewSize}")]
    public static partial void TreeAdvanced(ILogger logger, string name, long oldSize, long newSize);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "checksum database {Name} unavailable for {Path}: {Reason}")]
    public static partial void Unavailable(ILogger logger, string name, string path, string reason);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Critical, Message = "SECURITY ERROR: {Module}@{Version} checksum mismatch: database {Expected}, downloaded {Actual}")]
    public static partial void Mismatch(ILogger logger, string module, string version, string expected, string actual);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Critical, Message = "SECURITY ERROR: private log {Name}: {Module}@{Version} was logged with {Logged}, now {Actual}; refused")]
    public static partial void PrivateConflict(ILogger logger, string name, string module, string version, string logged, string actual);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning, Message = "checksum database {Name}: cached {Path} is damaged ({Reason}); fetching it again")]
    public static partial void CacheDamaged(ILogger logger, string name, string path, string reason);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "private log {Name}: logged {Module}@{Version} as record {Id}")]
    public static partial void PrivateLogged(ILogger logger, string name, string module, string version, long id);
}
