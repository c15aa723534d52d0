using Moddock.Proxy.Sources.Git;
using Moddock.Proxy.Sources.Git.Credentials;

namespace Moddock.Server.Configuration;

/// <summary>Settings for `direct` (version control) fetching; YAML section `direct:`, env MODDOCK_DIRECT_*.</summary>
public sealed class DirectModeOptions
{
    /// <summary>How many git processes may run at once. Default 4.</summary>
    public int GitConcurrency { get; init; } = ServeDefaults.GitConcurrency;

    /// <summary>Longest a single git operation may take. Default 5 min.</summary>
    public TimeSpan GitTimeout { get; init; } = ServeDefaults.GitTimeout;

    /// <summary>go-get discovery and scheme probes give up after this long. Default 4 s.</summary>
    public TimeSpan ProbeTimeout { get; init; } = ServeDefaults.ProbeTimeout;

    /// <summary>A mirror is asked for new refs at most this often. Default 10 s.</summary>
    public TimeSpan RefreshInterval { get; init; } = ServeDefaults.RefreshInterval;

    /// <summary>`direct.rewrite` (YAML only): module path pattern → repository URL template.</summary>
    public IReadOnlyList<GitRewriteRule> RewriteRules { get; init; } = [];

    /// <summary>`direct.credentials` (YAML only), tokens already read from their environment variables.</summary>
    public IReadOnlyList<GitCredential> Credentials { get; init; } = [];

    /// <summary>A .netrc file; null means $NETRC, else ~/.netrc.</summary>
    public string? NetrcPath { get; init; }

    /// <summary>An SSH private key for ssh:// remotes; null means ssh's defaults.</summary>
    public string? SshKeyPath { get; init; }

    /// <summary>A known_hosts file for ssh:// remotes; null means ssh's default.</summary>
    public string? SshKnownHostsPath { get; init; }
}
