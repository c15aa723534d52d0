using Microsoft.Extensions.Logging;

namespace Moddock.Server.Logging;

/// <summary>One JSON object per line on stdout, UTC timestamps; framework chatter only from Warning up.</summary>
public static class ServeLogging
{
    public static void Configure(ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();
        logging.AddJsonConsole(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
        });
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);
    }

    /// <summary>For parts built before the web host (the checksum database setup).</summary>
    public static ILoggerFactory CreateFactory() => LoggerFactory.Create(Configure);
}
