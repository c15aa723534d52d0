// TEMPORARY stand-ins for the Moddock.Proxy contract types (docs/CONTRACTS.md) until the
// `proxy` branch lands; this file is deleted on merge.
#pragma warning disable CA1716
using Moddock.Modules;

namespace Moddock.Proxy;

public enum ArtifactKind { List, Info, Mod, Zip, Latest }

public sealed record ModuleRequest(ModulePath Path, ArtifactKind Kind, string? Query);

public enum CacheStatus { Hit, Miss, Stale, Bypass }

public enum ResolveOutcome { Found, NotFound, Gone, BadRequest, UpstreamFailed, Refused, Unauthorized, Forbidden }

public sealed class ResolveResult
{
    private ResolveResult(ResolveOutcome outcome, string? reason, ArtifactContent? content, CacheStatus cache, string? upstream)
    {
        Outcome = outcome;
        Reason = reason;
        Content = content;
        Cache = cache;
        Upstream = upstream;
    }

    public ResolveOutcome Outcome { get; }

    public string? Reason { get; }

    public ArtifactContent? Content { get; }

    public CacheStatus Cache { get; }

    public string? Upstream { get; }

    public static ResolveResult Found(ArtifactContent content, CacheStatus cache, string? upstream = null) => new(ResolveOutcome.Found, null, content, cache, upstream);

    public static ResolveResult Failed(ResolveOutcome outcome, string reason, CacheStatus cache = CacheStatus.Miss, string? upstream = null) => new(outcome, reason, null, cache, upstream);
}

public sealed class ArtifactContent
{
    public ArtifactContent(string contentType, long length, string? filePath, Func<CancellationToken, Stream>? openStream, DateTimeOffset? lastModified = null, bool stale = false)
    {
        ContentType = contentType;
        Length = length;
        FilePath = filePath;
        OpenStream = openStream;
        LastModified = lastModified;
        Stale = stale;
    }

    public string? FilePath { get; }

    public long Length { get; }

    public Func<CancellationToken, Stream>? OpenStream { get; }

    public string ContentType { get; }

    public DateTimeOffset? LastModified { get; }

    public bool Stale { get; }
}

public interface IModuleResolver
{
    Task<ResolveResult> ResolveAsync(ModuleRequest request, CancellationToken ct);
}
