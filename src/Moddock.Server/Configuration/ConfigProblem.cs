namespace Moddock.Server.Configuration;

/// <summary>One thing wrong with the configuration: which setting, where it came from, its value, and why.</summary>
public sealed record ConfigProblem(string Key, string Source, string? Value, string Message)
{
    /// <summary>The line printed at start-up, with credentials in URLs masked (<see cref="UrlCredentials"/>).</summary>
    public override string ToString() => UrlCredentials.Redact(
        Value is null ? $"{Key} ({Source}): {Message}" : $"{Key} ({Source}) = \"{Value}\": {Message}");
}
