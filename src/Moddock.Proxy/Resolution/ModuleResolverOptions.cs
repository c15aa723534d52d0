namespace Moddock.Proxy;

/// <summary>Cache behaviour of the resolver. Every default is documented on its property.</summary>
public sealed class ModuleResolverOptions
{
    /// <summary>Serve from the store only: list/@latest from what is stored, anything else not found at once. Default false.</summary>
    public bool Offline { get; set; }

    /// <summary>How long a stored list/@latest is served without asking upstream. Default 60 s.</summary>
    public TimeSpan ListTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a not-found answer is remembered. Default 60 s; zero disables it.</summary>
    public TimeSpan NotFoundTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Zips of at least this many bytes are streamed to clients while they download (spooled to disk, never
    /// held in memory; the last byte is held back until the zip is verified). Smaller zips are answered once
    /// verified, so that a refused zip (checksum mismatch, broken archive) reaches the go command as a clear
    /// reason naming both hashes instead of a cut connection. Default 8 MiB; 0 streams every zip.
    /// </summary>
    public long StreamZipsFrom { get; set; } = 8L << 20;

    /// <summary>
    /// What to fetch ahead of the go command: the .mod of each requirement of a go.mod a client fetched, the .info
    /// of each canonical version whose .mod a client fetched, and the .zip of each canonical version whose .info a
    /// client asked for. Default all three; never in offline mode.
    /// </summary>
    public PrefetchKinds Prefetch { get; set; } = PrefetchKinds.Requirements | PrefetchKinds.Infos | PrefetchKinds.Zips;

    /// <summary>How many prefetches run at once, besides client requests. Default 4.</summary>
    public int PrefetchConcurrency { get; set; } = 4;
}
