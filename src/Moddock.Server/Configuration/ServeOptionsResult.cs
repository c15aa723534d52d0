namespace Moddock.Server.Configuration;

/// <summary>Either valid options, or every problem found (never both).</summary>
public sealed record ServeOptionsResult(ServeOptions? Options, IReadOnlyList<ConfigProblem> Problems)
{
    public bool IsValid => Options is not null;
}
