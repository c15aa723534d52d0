namespace Moddock.Proxy.Sources.Upstream;

/// <summary>The outcome of one HTTP attempt, as the resilience pipeline sees it.</summary>
internal sealed record UpstreamAttempt(object? Value, SourceFailure? Failure, FailureClass Class)
{
    public static UpstreamAttempt Ok(object value) => new(value, null, FailureClass.None);

    public static UpstreamAttempt Fail(FailureClass cls, SourceFailureKind kind, string reason, int? status = null) =>
        new(null, new SourceFailure(kind, reason, status), cls);
}
