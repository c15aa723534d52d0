using Moddock.Proxy;
using Moddock.Modules;
using Moddock.Proxy.Sources.Git;
using Moddock.Proxy.Sources.Git.Credentials;
using Moddock.Server.Auth;
using Moddock.Sumdb;

namespace Moddock.Server.Configuration;

/// <summary>
/// Merges the sources of configuration (flags, then environment, then the --config YAML file,
/// then the defaults) and validates the result. Like YARP's ConfigValidator it collects every
/// problem before failing, so an operator fixes them all in one go.
/// </summary>
public static class ServeOptionsBuilder
{
    public const string ConfigKey = "config";

    /// <param name="flags">Settings given on the command line, by key (<see cref="ServeSettingKeys"/>), plus "config".</param>
    /// <param name="environment">Reads an environment variable (tests pass a dictionary).</param>
    public static ServeOptionsResult Build(IReadOnlyDictionary<string, string> flags, Func<string, string?> environment) =>
        Build(flags, environment, TimeProvider.System);

    /// <param name="time">The clock the TLS certificate's validity is checked against.</param>
    public static ServeOptionsResult Build(IReadOnlyDictionary<string, string> flags, Func<string, string?> environment, TimeProvider time)
    {
        var problems = new List<ConfigProblem>();
        var merged = new Dictionary<string, SettingValue>(StringComparer.Ordinal);

        var configPath = flags.TryGetValue(ConfigKey, out var cp) ? cp : environment("MODDOCK_CONFIG");
        ClientAuthOptions? auth = null;
        var rewriteRules = new List<GitRewriteRule>();
        var credentialRefs = new List<DirectConfigSection.CredentialRef>();
        if (!string.IsNullOrEmpty(configPath))
        {
            foreach (var (k, fileValue) in ServeConfigFile.Read(configPath, problems, out auth, rewriteRules, credentialRefs))
            {
                merged[k] = fileValue;
            }
        }

        foreach (var key in ServeSettingKeys.All)
        {
            var name = ServeSettingKeys.EnvironmentVariable(key);
            if (environment(name) is { } value)
            {
                merged[key] = new SettingValue(value, "env " + name);
            }
        }

        foreach (var (key, value) in flags)
        {
            if (key == ConfigKey)
            {
                continue;
            }

            if (!ServeSettingKeys.All.Contains(key))
            {
                problems.Add(new ConfigProblem(key, "flag --" + key, value, "unknown setting"));
                continue;
            }

            merged[key] = new SettingValue(value, "flag --" + key);
        }

        var v = new SettingReader(merged, problems);
        var listenText = v.Text(ServeSettingKeys.Listen, ServeDefaults.Listen);
        ListenAddress? listen = null;
        if (listenText is not null && !ListenAddress.TryParse(listenText, out listen, out var listenProblem))
        {
            v.Problem(ServeSettingKeys.Listen, listenProblem!);
        }

        var storage = v.Text(ServeSettingKeys.Storage, ServeDefaults.Storage(environment));
        if (storage is not null)
        {
            storage = ExpandHome(storage, environment);
            if (storage.Length == 0 || storage.Contains('\0', StringComparison.Ordinal))
            {
                v.Problem(ServeSettingKeys.Storage, "must be a directory path");
            }
            else if (File.Exists(storage))
            {
                v.Problem(ServeSettingKeys.Storage, "is a file, not a directory");
            }
        }

        var upstreamText = v.Text(ServeSettingKeys.Upstream, ServeDefaults.Upstream) ?? ServeDefaults.Upstream;
        IReadOnlyList<ProxyEntry> upstreams = [];
        if (!GoProxyList.TryParse(upstreamText, out upstreams, out var upstreamError))
        {
            v.Problem(ServeSettingKeys.Upstream, upstreamError?.Message ?? "not a GOPROXY list");
        }
        else if (upstreams.Select(e => e.Url is { } u && !u.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? HostProblem(u) : null).FirstOrDefault(p => p is not null) is { } hostProblem)
        {
            // Go's list accepts "https://" and fails on first use; Moddock builds its clients at start-up, so say it now.
            v.Problem(ServeSettingKeys.Upstream, hostProblem);
        }

        var sumdb = v.Text(ServeSettingKeys.Sumdb, ServeDefaults.Sumdb) is { Length: > 0 } s ? s : ServeDefaults.Sumdb;
        if (!SumdbSetup.TryValidateGoSumdb(sumdb.Trim(), out var sumdbProblem))
        {
            v.Problem(ServeSettingKeys.Sumdb, sumdbProblem ?? "not a GOSUMDB value");
        }

        var privateText = v.Text(ServeSettingKeys.Private, "") ?? "";
        var privateKey = v.Text(ServeSettingKeys.PrivateSumdbKey, "");
        if (!string.IsNullOrEmpty(privateKey))
        {
            privateKey = ExpandHome(privateKey, environment);
            if (!File.Exists(privateKey))
            {
                v.Problem(ServeSettingKeys.PrivateSumdbKey, Directory.Exists(privateKey) ? "is a directory, not a key file" : "no such file");
            }
        }

        var (tlsCert, tlsKey) = TlsSettings.Read(v, environment, time);
        var options = new ServeOptions
        {
            Listen = listen ?? new ListenAddress("127.0.0.1", 3000),
            Storage = storage ?? "",
            StorageSource = merged.TryGetValue(ServeSettingKeys.Storage, out var storageSetting) ? storageSetting.Source : "default",
            UpstreamText = upstreamText,
            Upstreams = upstreams,
            Private = PathPatterns.Parse(privateText),
            // Unlike GONOSUMDB, which replaces GOPRIVATE's default, --nosumdb adds to --private: a private path
            // must never reach the public database (its name is the leak), whatever else is skipped.
            NoSumdb = PathPatterns.Parse(string.Join(',', new[] { privateText, v.Text(ServeSettingKeys.NoSumdb, "") ?? "" }.Where(t => t.Trim().Length > 0))),
            PrivateSumdbKey = string.IsNullOrEmpty(privateKey) ? null : privateKey,
            Insecure = PathPatterns.Parse(v.Text(ServeSettingKeys.Insecure, "") ?? ""),
            Sumdb = sumdb.Trim(),
            Offline = v.Bool(ServeSettingKeys.Offline, false),
            ListTtl = v.Duration(ServeSettingKeys.ListTtl, ServeDefaults.ListTtl, allowZero: true),
            NotFoundTtl = v.Duration(ServeSettingKeys.NotFoundTtl, ServeDefaults.NotFoundTtl, allowZero: true),
            ConnectTimeout = v.Duration(ServeSettingKeys.ConnectTimeout, ServeDefaults.ConnectTimeout, allowZero: false),
            FirstByteTimeout = v.Duration(ServeSettingKeys.FirstByteTimeout, ServeDefaults.FirstByteTimeout, allowZero: false),
            BodyIdleTimeout = v.Duration(ServeSettingKeys.BodyIdleTimeout, ServeDefaults.BodyIdleTimeout, allowZero: false),
            Auth = auth is null ? null : WithPublicSumdb(auth, sumdb.Trim()),
            TlsCert = tlsCert,
            TlsKey = tlsKey,
            MemoryCacheBytes = v.ByteSize(ServeSettingKeys.MemoryCache, ServeDefaults.MemoryCacheBytes),
            Prefetch = ReadPrefetch(v),
            Direct = new DirectModeOptions
            {
                GitConcurrency = v.PositiveInt(ServeSettingKeys.DirectGitConcurrency, ServeDefaults.GitConcurrency),
                GitTimeout = v.Duration(ServeSettingKeys.DirectGitTimeout, ServeDefaults.GitTimeout, allowZero: false),
                ProbeTimeout = v.Duration(ServeSettingKeys.DirectProbeTimeout, ServeDefaults.ProbeTimeout, allowZero: false),
                RefreshInterval = v.Duration(ServeSettingKeys.DirectRefreshInterval, ServeDefaults.RefreshInterval, allowZero: false),
                RewriteRules = rewriteRules,
                Credentials = ResolveCredentials(credentialRefs, environment, problems),
                NetrcPath = ExistingFile(v, ServeSettingKeys.DirectNetrc, environment),
                SshKeyPath = ExistingFile(v, ServeSettingKeys.DirectSshKey, environment),
                SshKnownHostsPath = ExistingFile(v, ServeSettingKeys.DirectSshKnownHosts, environment),
            },
        };

        return problems.Count == 0 ? new ServeOptionsResult(options, problems) : new ServeOptionsResult(null, problems);
    }

    /// <summary>The --sumdb database (GOSUMDB syntax: "name[+key] [url]") is public: its tiles stay as open as the default.</summary>
    private static ClientAuthOptions WithPublicSumdb(ClientAuthOptions auth, string sumdb)
    {
        var name = sumdb.Split(' ', 2)[0].Split('+', 2)[0];
        return name.Length == 0 || name == "off" ? auth : new ClientAuthOptions
        {
            Realm = auth.Realm,
            RequireByDefault = auth.RequireByDefault,
            Users = auth.Users,
            Tokens = auth.Tokens,
            Rules = auth.Rules,
            OpenPaths = auth.OpenPaths,
            PublicSumdbNames = [name],
        };
    }

    /// <summary>
    /// --prefetch: "off", or a comma-separated list of "mod" (the .mod of each requirement of a fetched go.mod),
    /// "info" (the .info after a canonical .mod) and "zip" (the .zip after a canonical .info). Default all three.
    /// </summary>
    private static PrefetchKinds ReadPrefetch(SettingReader v)
    {
        var text = v.Text(ServeSettingKeys.Prefetch, ServeDefaults.Prefetch) ?? ServeDefaults.Prefetch;
        var kinds = PrefetchKinds.None;
        var words = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            v.Problem(ServeSettingKeys.Prefetch, "empty: use off, or a list of mod, info and zip");
            return PrefetchKinds.None;
        }

        foreach (var word in words)
        {
            switch (word.ToLowerInvariant())
            {
                case "off" when words.Length == 1:
                    return PrefetchKinds.None;
                case "mod":
                    kinds |= PrefetchKinds.Requirements;
                    break;
                case "zip":
                    kinds |= PrefetchKinds.Zips;
                    break;
                case "info":
                    kinds |= PrefetchKinds.Infos;
                    break;
                default:
                    v.Problem(ServeSettingKeys.Prefetch, $"unknown prefetch kind \"{word}\": use off, or a list of mod, info and zip");
                    return PrefetchKinds.None;
            }
        }

        return kinds;
    }

    /// <summary>An optional file setting: null when unset or empty, a problem when the file is missing.</summary>
    private static string? ExistingFile(SettingReader v, string key, Func<string, string?> environment)
    {
        var text = v.Text(key, "");
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var path = ExpandHome(text, environment);
        if (!File.Exists(path))
        {
            v.Problem(key, "no such file");
        }

        return path;
    }

    /// <summary>
    /// Reads each credential's token from the variable it names. An unset variable is a problem that
    /// names the variable; token values never go into problems, logs or ToString.
    /// </summary>
    private static List<GitCredential> ResolveCredentials(List<DirectConfigSection.CredentialRef> refs, Func<string, string?> environment, List<ConfigProblem> problems)
    {
        var list = new List<GitCredential>();
        foreach (var r in refs)
        {
            if (environment(r.TokenEnv) is not { Length: > 0 } token)
            {
                problems.Add(new ConfigProblem(r.ItemKey + ".token-env", r.Source, r.TokenEnv, $"environment variable {r.TokenEnv} is not set or empty"));
                continue;
            }

            list.Add(r.User is null ? new GitCredential(r.Host, token) : new GitCredential(r.Host, token, r.User));
        }

        // Only one credential can be sent per host; a second one would be silently ignored.
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in refs.Where(r => !seen.Add(r.Host)))
        {
            problems.Add(new ConfigProblem(r.ItemKey + ".host", r.Source, r.Host, "the same host already has a credential"));
        }

        return list;
    }

    private static string? HostProblem(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0)
        {
            return null;
        }

        var authority = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..].Split('/', 2)[0];
        return $"invalid proxy URL {url}: " + (authority.Length == 0 ? "no host" : "not a valid host and port");
    }

    internal static string ExpandHome(string path, Func<string, string?> environment)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            var home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return home + path[1..];
        }

        return path;
    }
}
