using Moddock.Proxy.Sources.Git;
using Moddock.Server.Configuration;
using Moddock.Testing;

namespace Moddock.Server.Tests.Configuration;

/// <summary>The `direct:` section of the serve YAML: rewrite rules, credentials by env var, file paths, timings; every problem named by key, tokens never echoed.</summary>
public sealed class ServeOptionsDirectTests
{
    private const string Secret = "s3cr3t-token-value";

    private static Dictionary<string, string> Config(string yaml, out string dir)
    {
        dir = TestEnvironment.NewTempDir("direct-config");
        var path = Path.Combine(dir, "moddock.yaml");
        File.WriteAllText(path, yaml.Replace("$DIR", dir, StringComparison.Ordinal));
        return new Dictionary<string, string> { [ServeOptionsBuilder.ConfigKey] = path };
    }

    private static Func<string, string?> Env(Dictionary<string, string> vars) =>
        key => vars.TryGetValue(key, out var v) ? v : key == "HOME" ? "/home/gopher" : null;

    [Fact]
    public void Build_DirectSection_ParsesRulesCredentialsPathsAndTimings()
    {
        var dir = TestEnvironment.NewTempDir("direct-files");
        File.WriteAllText(Path.Combine(dir, "netrc"), "");
        File.WriteAllText(Path.Combine(dir, "key"), "");
        File.WriteAllText(Path.Combine(dir, "known"), "");
        var flags = Config($"""
            direct:
              git-concurrency: 2
              git-timeout: 90s
              probe-timeout: 1500ms
              refresh-interval: 1m
              netrc: {dir}/netrc
              ssh-key: {dir}/key
              ssh-known-hosts: {dir}/known
              rewrite:
                - pattern: git.corp.example/*
                  url: ssh://git@git.corp.example/{"{path}"}.git
                - pattern: proxy.corp.example
                  url: mod+https://modules.corp.example
              credentials:
                - host: git.corp.example
                  user: ci
                  token-env: CORP_GIT_TOKEN
                - host: other.example
                  token-env: OTHER_TOKEN
            """, out _);

        var result = ServeOptionsBuilder.Build(flags, Env(new() { ["CORP_GIT_TOKEN"] = Secret, ["OTHER_TOKEN"] = "t2" }));

        Assert.Empty(result.Problems);
        var d = result.Options!.Direct;
        Assert.Equal(2, d.GitConcurrency);
        Assert.Equal(TimeSpan.FromSeconds(90), d.GitTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), d.ProbeTimeout);
        Assert.Equal(TimeSpan.FromMinutes(1), d.RefreshInterval);
        Assert.Equal(Path.Combine(dir, "netrc"), d.NetrcPath);
        Assert.Equal(Path.Combine(dir, "key"), d.SshKeyPath);
        Assert.Equal(Path.Combine(dir, "known"), d.SshKnownHostsPath);
        Assert.Equal(
            [new GitRewriteRule("git.corp.example/*", "ssh://git@git.corp.example/{path}.git"), new GitRewriteRule("proxy.corp.example", "mod+https://modules.corp.example")],
            d.RewriteRules);
        Assert.Equal(2, d.Credentials.Count);
        Assert.Equal(("git.corp.example", "ci", Secret), (d.Credentials[0].Host, d.Credentials[0].Username, d.Credentials[0].Password));
        Assert.Equal(("other.example", "oauth2", "t2"), (d.Credentials[1].Host, d.Credentials[1].Username, d.Credentials[1].Password));
        Assert.DoesNotContain(Secret, d.Credentials[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoDirectSection_UsesDefaults()
    {
        var result = ServeOptionsBuilder.Build(Config("listen: 127.0.0.1:4000\n", out _), Env([]));

        var d = result.Options!.Direct;
        Assert.Equal(ServeDefaults.ProbeTimeout, d.ProbeTimeout);
        Assert.Equal(ServeDefaults.RefreshInterval, d.RefreshInterval);
        Assert.Empty(d.RewriteRules);
        Assert.Empty(d.Credentials);
        Assert.Null(d.NetrcPath);
        Assert.Null(d.SshKeyPath);
        Assert.Null(d.SshKnownHostsPath);
    }

    [Fact]
    public void Build_DirectScalarsFromEnvironment_OverrideYaml()
    {
        var dir = TestEnvironment.NewTempDir("direct-env");
        File.WriteAllText(Path.Combine(dir, "netrc-env"), "");
        var flags = Config("direct:\n  probe-timeout: 9s\n  refresh-interval: 9s\n", out _);

        var result = ServeOptionsBuilder.Build(flags, Env(new()
        {
            ["MODDOCK_DIRECT_PROBE_TIMEOUT"] = "2s",
            ["MODDOCK_DIRECT_NETRC"] = Path.Combine(dir, "netrc-env"),
        }));

        Assert.Empty(result.Problems);
        Assert.Equal(TimeSpan.FromSeconds(2), result.Options!.Direct.ProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(9), result.Options.Direct.RefreshInterval);
        Assert.Equal(Path.Combine(dir, "netrc-env"), result.Options.Direct.NetrcPath);
    }

    [Fact]
    public void Build_DirectProblems_ReportsEveryOneByKeyWithoutTheToken()
    {
        var flags = Config($$"""
            direct:
              probe-timeout: 0s
              refresh-interval: -5s
              netrc: $DIR/missing-netrc
              ssh-key: $DIR/missing-key
              ssh-known-hosts: $DIR/missing-known
              rewrite:
                - pattern: https://git.corp.example/*
                  url: ssh://git@git.corp.example/{path}.git
                - pattern: git.corp.example//x
                  url: git.corp.example/{path}
                - pattern: git.corp.example/*
                  url: https://git.corp.example/{repo}.git
                - url: https://x.example/{path}
                - pattern: a.example
                  url: https://a.example/{root}
                  branch: main
              credentials:
                - host: git.corp.example
                  token-env: UNSET_CORP_TOKEN
                - host: https://bad.example/
                  token-env: "{{Secret}}"
                - user: someone
            """, out var dir);

        var result = ServeOptionsBuilder.Build(flags, Env([]));

        Assert.Null(result.Options);
        var keys = result.Problems.Select(p => p.Key).ToList();
        string[] expected =
        [
            "direct.probe-timeout", "direct.refresh-interval", "direct.netrc", "direct.ssh-key", "direct.ssh-known-hosts",
            "direct.rewrite[0].pattern", "direct.rewrite[1].pattern", "direct.rewrite[1].url", "direct.rewrite[2].url",
            "direct.rewrite[3].pattern", "direct.rewrite[4].branch",
            "direct.credentials[0].token-env", "direct.credentials[1].host", "direct.credentials[1].token-env",
            "direct.credentials[2].host", "direct.credentials[2].token-env",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        Assert.Contains(result.Problems, p => p.Key == "direct.netrc" && p.Value == Path.Combine(dir, "missing-netrc"));
        Assert.Contains(result.Problems, p => p.Key == "direct.rewrite[2].url" && p.Message.Contains("{repo}", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Key == "direct.rewrite[1].url" && p.Message.Contains("scheme", StringComparison.Ordinal));
        var unset = Assert.Single(result.Problems, p => p.Key == "direct.credentials[0].token-env");
        Assert.Contains("UNSET_CORP_TOKEN", unset.ToString(), StringComparison.Ordinal);
        Assert.All(result.Problems, p => Assert.DoesNotContain(Secret, p.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Build_TokenEnvSet_ProblemsElsewhereNeverPrintTheToken()
    {
        var flags = Config("""
            direct:
              probe-timeout: soon
              credentials:
                - host: git.corp.example
                  token-env: CORP_GIT_TOKEN
                - host: git.corp.example
                  token-env: CORP_GIT_TOKEN
            """, out _);

        var result = ServeOptionsBuilder.Build(flags, Env(new() { ["CORP_GIT_TOKEN"] = Secret }));

        Assert.Null(result.Options);
        Assert.Contains(result.Problems, p => p.Key == "direct.probe-timeout");
        Assert.Contains(result.Problems, p => p.Key == "direct.credentials[1].host" && p.Value == "git.corp.example");
        Assert.All(result.Problems, p => Assert.DoesNotContain(Secret, p.ToString(), StringComparison.Ordinal));
    }
}
