namespace Moddock.Proxy.Sources;

/// <param name="Reason">Names the cause (refused, timeout, TLS, status + the upstream's text); no secrets.</param>
public sealed record SourceFailure(SourceFailureKind Kind, string Reason, int? StatusCode = null)
{
    /// <summary>404/410: the GOPROXY "not found" answers that let a client (and our chain) try the next entry.</summary>
    public bool IsNotFound => Kind is SourceFailureKind.NotFound or SourceFailureKind.Gone;
}
