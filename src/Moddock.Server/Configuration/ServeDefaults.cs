namespace Moddock.Server.Configuration;

/// <summary>The defaults of issue 3's interface; other checks depend on these values.</summary>
public static class ServeDefaults
{
    public const string Listen = "127.0.0.1:3000";
    public const string Upstream = "https://proxy.golang.org,direct";
    public const string Sumdb = "sum.golang.org";
    public const string Prefetch = "mod,info,zip";
    public static readonly TimeSpan ListTtl = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan NotFoundTtl = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan FirstByteTimeout = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan BodyIdleTimeout = TimeSpan.FromSeconds(60);
    public const int GitConcurrency = 4;
    public static readonly TimeSpan GitTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(10);

    /// <summary>Byte budget of the in-memory copy of immutable artifacts (memory-cache): 64 MiB.</summary>
    public const long MemoryCacheBytes = 64L << 20;

    /// <summary>~/.cache/moddock, from $HOME (XDG_CACHE_HOME when set, like the go command's cache dir).</summary>
    public static string Storage(Func<string, string?> env)
    {
        if (env("XDG_CACHE_HOME") is { Length: > 0 } xdg)
        {
            return Path.Combine(xdg, "moddock");
        }

        var home = env("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".cache", "moddock");
    }
}
