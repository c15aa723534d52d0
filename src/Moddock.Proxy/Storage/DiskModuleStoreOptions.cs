namespace Moddock.Proxy.Storage;

/// <summary>Options of the embedded disk store.</summary>
public sealed class DiskModuleStoreOptions
{
    /// <summary>
    /// The storage root. Its tree mirrors the escaped GOPROXY URL space (<c>M/@v/list</c>, <c>M/@v/V.info</c>,
    /// <c>M/@v/V.mod</c>, <c>M/@v/V.zip</c>, <c>M/@latest</c>), so it is itself usable as <c>GOPROXY=file:///root</c>.
    /// Required; the server's default is <c>~/.cache/moddock</c>.
    /// </summary>
    public string Root { get; set; } = "";
}
