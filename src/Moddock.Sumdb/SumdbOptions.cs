namespace Moddock.Sumdb;

/// <summary>What `moddock serve` passes to build the checksum-database parts (see <see cref="SumdbSetup"/>).</summary>
public sealed class SumdbOptions
{
    /// <summary>--sumdb, GOSUMDB syntax: "sum.golang.org" (default), "name+hash+key [URL]", or "off".</summary>
    public string GoSumdb { get; init; } = "sum.golang.org";

    /// <summary>The storage root; the sumdb cache lives in STORAGE/sumdb, the private log in STORAGE/sumdb-private.</summary>
    public required string StorageDir { get; init; }

    /// <summary>--nosumdb (GONOSUMDB semantics, default: the --private patterns): true = skip the lookup.</summary>
    public Func<string, bool> NoSumdb { get; init; } = _ => false;

    /// <summary>--offline: never contact the database; serve and verify from cache only.</summary>
    public bool Offline { get; init; }

    /// <summary>--private-sumdb-key FILE (first line = signer key), or null for no private log.</summary>
    public string? PrivateSumdbKeyFile { get; init; }

    /// <summary>Tile height of the databases (sum.golang.org uses 8).</summary>
    public int TileHeight { get; init; } = 8;

    public long MaxResponseBytes { get; init; } = 1 << 20;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
