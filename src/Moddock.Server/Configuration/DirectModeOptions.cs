namespace Moddock.Server.Configuration;

/// <summary>Settings for `direct` (version control) fetching; YAML section `direct:`, env MODDOCK_DIRECT_*.</summary>
public sealed class DirectModeOptions
{
    /// <summary>How many git processes may run at once. Default 4.</summary>
    public int GitConcurrency { get; init; } = ServeDefaults.GitConcurrency;

    /// <summary>Longest a single git operation may take. Default 5 min.</summary>
    public TimeSpan GitTimeout { get; init; } = ServeDefaults.GitTimeout;
}
