namespace Moddock.Proxy.Resolution;

/// <summary>What the store can answer for a target, and whether it may be served without asking upstream.</summary>
internal sealed record CachedAnswer(ArtifactContent Content, DateTimeOffset SavedAt, bool Immutable)
{
    public bool IsFresh(DateTimeOffset now, TimeSpan ttl) => Immutable || now - SavedAt < ttl;

    public ResolveResult Serve(CacheStatus status) =>
        ResolveResult.Found(status == CacheStatus.Stale ? Stale(Content) : Content, status);

    private static ArtifactContent Stale(ArtifactContent c) =>
        c.FilePath is { } f
            ? new ArtifactContent(f, c.Length, c.ContentType, c.LastModified, stale: true)
            : new ArtifactContent(c.OpenStream!, c.Length, c.ContentType, c.LastModified, stale: true);
}
