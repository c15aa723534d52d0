namespace Moddock.Server.Configuration;

/// <summary>One thing wrong with the configuration: which setting, where it came from, its value, and why.</summary>
public sealed record ConfigProblem(string Key, string Source, string? Value, string Message)
{
    public override string ToString() =>
        Value is null ? $"{Key} ({Source}): {Message}" : $"{Key} ({Source}) = \"{Value}\": {Message}";
}
