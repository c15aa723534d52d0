using Moddock.Proxy.Sources.Git.Credentials;

namespace Moddock.Proxy.Sources.Git;

/// <summary>Settings of direct mode (fetching modules straight from git). Defaults are noted per property.</summary>
public sealed class DirectSourceOptions
{
    /// <summary>Where the bare mirrors live, one directory per repository (e.g. &lt;storage&gt;/vcs). Required.</summary>
    public required string StorageDirectory { get; init; }

    /// <summary>GOINSECURE-style patterns: matching hosts may use git://, http:// and http go-get discovery. Default none.</summary>
    public string Insecure { get; init; } = "";

    /// <summary>Explicit module path → repository rules, tried before anything else. Default none.</summary>
    public IReadOnlyList<GitRewriteRule> RewriteRules { get; init; } = [];

    /// <summary>
    /// At most this many git commands run at once, across all repositories, and at most this many
    /// long-running `git cat-file --batch` object readers (one per recently read mirror) stay alive: so
    /// never more than twice this many git processes. Default 4.
    /// </summary>
    public int MaxConcurrentGit { get; init; } = 4;

    /// <summary>Every git command is killed (with its process tree) after this long. Default 5 minutes.</summary>
    public TimeSpan GitTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Timeout of go-get discovery requests and scheme probes, so unknown paths fail fast. Default 4 s.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>A mirror is not asked for new refs more often than this (list, @latest, branches). Default 10 s.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Per-host credentials (sent over https as Basic auth). Default none.</summary>
    public IReadOnlyList<GitCredential> Credentials { get; init; } = [];

    /// <summary>A .netrc file to read credentials from. Default $NETRC, else ~/.netrc.</summary>
    public string? NetrcPath { get; init; }

    /// <summary>An SSH private key for ssh:// remotes. Default: ssh's own defaults (~/.ssh).</summary>
    public string? SshKeyPath { get; init; }

    /// <summary>A known_hosts file for ssh:// remotes. Default: ssh's own (~/.ssh/known_hosts).</summary>
    public string? SshKnownHostsPath { get; init; }

    /// <summary>
    /// Largest module accepted, in bytes: the total uncompressed size of the files that go into its zip
    /// (x/mod's MaxZipFile; files left out, such as nested modules and vendor/, do not count). The raw
    /// git archive may be up to 4 times this before it is refused unread. Default 500 MiB, the module zip
    /// limit, which applies whatever this says.
    /// </summary>
    public long MaxArchiveBytes { get; init; } = 500L << 20;

    /// <summary>Environment lookup for MODDOCK_GIT_TOKEN_&lt;HOST&gt; and NETRC. Default the process environment.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    internal static string BuildSshCommand(DirectSourceOptions o)
    {
        var cmd = "ssh -o ControlMaster=no -o BatchMode=yes";
        if (o.SshKeyPath is { Length: > 0 } key)
        {
            cmd += " -o IdentitiesOnly=yes -i " + ShellQuote(key);
        }

        if (o.SshKnownHostsPath is { Length: > 0 } kh)
        {
            cmd += " -o UserKnownHostsFile=" + ShellQuote(kh);
        }

        return cmd;
    }

    internal CredentialSet BuildCredentials()
    {
        var netrc = NetrcPath
            ?? (Environment("NETRC") is { Length: > 0 } n ? n : null)
            ?? (Environment("HOME") is { Length: > 0 } home ? Path.Combine(home, ".netrc") : null);
        return new CredentialSet(Credentials, netrc is null ? [] : NetrcFile.Load(netrc), Environment);
    }

    private static string ShellQuote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
