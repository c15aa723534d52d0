using Moddock.Modules;
using Moddock.Server.Configuration;

namespace Moddock.Server.Health;

/// <summary>Lists the configured upstreams when the pipeline reports no breaker state for them.</summary>
internal sealed class ConfiguredUpstreams(ServeOptions options) : IUpstreamStatusProvider
{
    public IReadOnlyList<UpstreamStatus> Snapshot() =>
        options.Upstreams.Select(e => new UpstreamStatus(
            e.Kind == ProxyEntryKind.Url ? UpstreamNames.Redact(e.Url!) : e.Kind.ToString().ToLowerInvariant(),
            e.Kind.ToString().ToLowerInvariant(),
            e.FallBackOnAnyError ? "any-error" : "not-found",
            options.Offline ? "offline" : "unknown")).ToList();
}
