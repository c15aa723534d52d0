using Microsoft.Extensions.Primitives;

namespace Moddock.Server.Caching;

/// <summary>
/// One immutable artifact held in memory with its response headers already built, so that a hit
/// allocates nothing for headers: the same StringValues instances are handed to Kestrel each time.
/// </summary>
internal sealed class CachedArtifact
{
    private int _referenced;

    public CachedArtifact(byte[] body, string contentType, DateTimeOffset? lastModified, string module, string version, string kind)
    {
        ArgumentNullException.ThrowIfNull(body);
        Body = body;
        ContentType = new StringValues(contentType);
        LastModified = lastModified is { } m ? new StringValues(m.ToString("R")) : StringValues.Empty;
        Module = module;
        Version = version;
        Kind = kind;
    }

    /// <summary>The artifact's bytes, exactly as committed to the store.</summary>
    public byte[] Body { get; }

    public StringValues ContentType { get; }

    /// <summary>Empty when the store gave no modification time.</summary>
    public StringValues LastModified { get; }

    /// <summary>Module path, version and kind for the request log line, so a hit needs no parsing.</summary>
    public string Module { get; }

    public string Version { get; }

    public string Kind { get; }

    /// <summary>Marks the entry as used since the clock hand last passed (its second chance).</summary>
    public void Touch()
    {
        if (Volatile.Read(ref _referenced) == 0)
        {
            Volatile.Write(ref _referenced, 1);
        }
    }

    /// <summary>Clears the mark; true when it was set, i.e. the entry earns another round.</summary>
    public bool TakeSecondChance() => Interlocked.Exchange(ref _referenced, 0) == 1;
}
