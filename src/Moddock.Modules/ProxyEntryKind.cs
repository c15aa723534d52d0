namespace Moddock.Modules;

/// <summary>One GOPROXY list item: a proxy URL, the keyword "direct" or "off", or the implicit "noproxy" that GONOPROXY adds.</summary>
public enum ProxyEntryKind
{
    Url,
    Direct,
    Off,
    NoProxy,
}
