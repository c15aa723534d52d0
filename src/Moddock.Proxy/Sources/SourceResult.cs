using System.Diagnostics.CodeAnalysis;

namespace Moddock.Proxy.Sources;

/// <summary>A value or a <see cref="SourceFailure"/>: expected failures are values, not exceptions.</summary>
[SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Ok/Fail factories read best on the type.")]
public sealed class SourceResult<T>
{
    private SourceResult(bool isSuccess, T? value, SourceFailure? failure)
    {
        IsSuccess = isSuccess;
        Value = value;
        Failure = failure;
    }

    [MemberNotNullWhen(false, nameof(Failure))]
    public bool IsSuccess { get; }

    public T? Value { get; }

    public SourceFailure? Failure { get; }

    public static SourceResult<T> Ok(T value) => new(true, value, null);

    public static SourceResult<T> Fail(SourceFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new(false, default, failure);
    }

    public static SourceResult<T> Fail(SourceFailureKind kind, string reason, int? statusCode = null) => Fail(new SourceFailure(kind, reason, statusCode));

    public override string ToString() => IsSuccess ? $"Ok({Value})" : $"Fail({Failure.Kind}: {Failure.Reason})";
}
