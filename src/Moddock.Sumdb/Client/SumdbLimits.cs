namespace Moddock.Sumdb.Client;

/// <summary>
/// Bounds on what Moddock accepts from a checksum database. A lookup is a few hundred bytes, a hash tile at
/// most 2^H×32 bytes (8 KiB for H=8), a data tile a few dozen KiB; tlog.ParseTree refuses notes over 1e6 bytes.
/// </summary>
internal sealed record SumdbLimits(long MaxResponseBytes, TimeSpan RequestTimeout)
{
    public static SumdbLimits Default { get; } = new(1 << 20, TimeSpan.FromSeconds(30));
}
