namespace Moddock.Proxy;

/// <summary>
/// What Moddock fetches ahead of the go command (<see cref="ModuleResolverOptions.Prefetch"/>). The go command
/// asks for a module graph one round trip at a time; a proxy that has just answered one request often knows
/// the next ones, and can have them fetched, verified and stored before they are asked for.
/// </summary>
[Flags]
public enum PrefetchKinds
{
    /// <summary>Fetch only what clients ask for.</summary>
    None = 0,

    /// <summary>
    /// After a client's .mod of M@V, the .mod of every module version its go.mod requires: building the module
    /// graph, the go command loads those next (cmd/go/internal/modload). One level only, never a crawl.
    /// </summary>
    Requirements = 1,

    /// <summary>
    /// After a client's .info of a canonical M@V, its .zip: <c>go mod download</c> asks for each module's .info
    /// and then for its zip (cmd/go/internal/modcmd/download.go). <c>go build</c> asks for no .info, so it
    /// triggers nothing here.
    /// </summary>
    Zips = 2,

    /// <summary>
    /// After a client's .mod of a canonical M@V, its .info: <c>go mod download</c> asks for every module's .info
    /// once the graph is loaded. A few hundred bytes per version, also for versions the go command only needed
    /// the go.mod of. A cached .info that a client then asks for still leads to <see cref="Zips"/>
    /// (<see cref="ModuleProxy.NoteInfoRequested"/>).
    /// </summary>
    Infos = 4,
}
