using Moddock.Server.Caching;
using Moddock.Server.HotPath;

namespace Moddock.Server.Health;

/// <summary>
/// /readyz's view of the memory cache and the hot path: whether hits are answered on the socket
/// (off under TLS, client auth or MODDOCK_HOT_PATH=off), how many responses it wrote, how many
/// requests on its connections Kestrel answered (forwarded), how many connections it handed to
/// Kestrel for good, and what the cache holds.
/// </summary>
internal sealed record HotPathReport(bool Enabled, long Served, long HandedOver, int CachedArtifacts, int OpenFiles, long MemoryBytes, long Forwarded)
{
    public static HotPathReport Of(HotConnectionHandler hot, MemoryArtifactCache memory) =>
        new(hot.Installed, hot.Served, hot.HandedOver, memory.Count, memory.FileCount, memory.UsedBytes, hot.Forwarded);
}
