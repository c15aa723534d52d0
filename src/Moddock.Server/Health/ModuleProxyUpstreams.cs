using Moddock.Modules;
using Moddock.Proxy;
using Moddock.Server.Configuration;

namespace Moddock.Server.Health;

/// <summary>/readyz's upstream list: the configured entries, with circuit state from the pipeline's upstream sources.</summary>
public sealed class ModuleProxyUpstreams(ServeOptions options, ModuleProxy proxy) : IUpstreamStatusProvider
{
    public PrefetchStatus? Prefetch() => proxy.Prefetch;

    public IReadOnlyList<UpstreamStatus> Snapshot()
    {
        // ModuleProxy lists its http(s) upstream sources in GOPROXY order; file:// entries have no circuit.
        var live = new Queue<Moddock.Proxy.Sources.Upstream.UpstreamStatus>(proxy.Upstreams);
        var result = new List<UpstreamStatus>();
        foreach (var e in options.Upstreams)
        {
            var kind = e.Kind.ToString().ToLowerInvariant();
            var fallback = e.FallBackOnAnyError ? "any-error" : "not-found";
            if (e.Kind == ProxyEntryKind.Url && !e.Url!.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && live.TryDequeue(out var s))
            {
                result.Add(new UpstreamStatus(s.Name, kind, fallback, options.Offline ? "offline" : s.Circuit, s.LastFailure, s.LastFailureAt));
            }
            else
            {
                result.Add(new UpstreamStatus(e.Kind == ProxyEntryKind.Url ? UpstreamNames.Redact(e.Url!) : kind, kind, fallback, options.Offline ? "offline" : "n/a"));
            }
        }

        return result;
    }
}
