namespace Moddock.Proxy.Sources;

/// <summary>One GOPROXY list entry, bound to the source that serves it.</summary>
/// <param name="FallBackOnAnyError">True when the entry is followed by <c>|</c>: any error moves on; after <c>,</c> only 404/410 do.</param>
internal sealed record ChainEntry(ChainEntryKind Kind, IModuleSource? Source, bool FallBackOnAnyError)
{
    public static ChainEntry Upstream(IModuleSource source, bool fallBackOnAnyError) => new(ChainEntryKind.Upstream, source, fallBackOnAnyError);

    public static readonly ChainEntry Direct = new(ChainEntryKind.Direct, null, false);

    public static readonly ChainEntry Off = new(ChainEntryKind.Off, null, false);

    public static readonly ChainEntry NoProxy = new(ChainEntryKind.NoProxy, null, false);
}

internal enum ChainEntryKind
{
    Upstream,
    Direct,
    Off,
    NoProxy,
}
