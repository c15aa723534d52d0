namespace Moddock.Modules;

/// <summary>
/// A GOPROXY list item. <paramref name="FallBackOnAnyError"/> is true when the item was followed by '|': then
/// any error moves on to the next item; after ',' only 404 and 410 do.
/// </summary>
public sealed record ProxyEntry(ProxyEntryKind Kind, string? Url, bool FallBackOnAnyError);
