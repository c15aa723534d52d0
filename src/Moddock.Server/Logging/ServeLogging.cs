using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Moddock.Server.Logging;

/// <summary>One JSON object per line on stdout, UTC timestamps; framework chatter only from Warning up.</summary>
public static class ServeLogging
{
    public static void Configure(ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.ClearProviders();

        // Registered by type so the container disposes it, which writes out the last lines on shutdown.
        logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, JsonLineLoggerProvider>());
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);
    }

    /// <summary>For parts built before the web host (the checksum database setup).</summary>
    public static ILoggerFactory CreateFactory() => LoggerFactory.Create(Configure);
}
