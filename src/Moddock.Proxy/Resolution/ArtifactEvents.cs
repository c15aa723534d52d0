using Microsoft.Extensions.Logging;
using Moddock.Proxy.Storage;

namespace Moddock.Proxy.Resolution;

/// <summary>
/// Tells the host when an immutable artifact (.info, .mod or .zip of a canonical version) has been stored
/// (<see cref="ModuleProxy.ArtifactStored"/>), so a memory cache in front of the store can take it at once
/// instead of after its first store hit. A subscriber that throws is logged; the fetch is not affected.
/// </summary>
internal sealed partial class ArtifactEvents(ILogger logger)
{
    public event Action<StoredArtifact>? Stored;

    public void RaiseStored(StoredArtifact stored)
    {
        if (!stored.Key.IsImmutable || stored.FilePath is null || Stored is not { } handlers)
        {
            return;
        }

        try
        {
            handlers(stored);
        }
        catch (Exception e)
        {
            Log.SubscriberFailed(logger, stored.Key.ToString(), e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3401, Level = LogLevel.Warning, Message = "a subscriber to stored artifacts failed on {Artifact}")]
        public static partial void SubscriberFailed(ILogger logger, string artifact, Exception exception);
    }
}
