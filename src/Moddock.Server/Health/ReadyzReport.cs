namespace Moddock.Server.Health;

/// <summary>The /readyz body.</summary>
internal sealed record ReadyzReport(bool Ready, StorageReport Storage, bool Offline, IReadOnlyList<UpstreamStatus> Upstreams, TlsReport Tls, HotPathReport HotPath, Moddock.Proxy.PrefetchStatus? Prefetch);
