using Moddock.Modules;
using Moddock.Server.Configuration;
using Moddock.Testing;

namespace Moddock.Server.Tests.Configuration;

public sealed class ServeOptionsBuilderTests
{
    private static readonly Dictionary<string, string> NoFlags = [];

    private static Func<string, string?> Env(params (string Key, string Value)[] vars)
    {
        var d = vars.ToDictionary(v => v.Key, v => v.Value);
        d.TryAdd("HOME", "/home/gopher");
        return k => d.TryGetValue(k, out var v) ? v : null;
    }

    private static string WriteYaml(string yaml)
    {
        var path = Path.Combine(TestEnvironment.NewTempDir("config"), "moddock.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void Build_ListenLocalhostPortZero_ProblemNotACrash()
    {
        // Kestrel cannot pick one free port for both of localhost's addresses and throws at start-up.
        var result = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["listen"] = "localhost:0" }, Env());

        var problem = Assert.Single(result.Problems);
        Assert.Equal("listen", problem.Key);
        Assert.Contains("127.0.0.1:0", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://", "no host")]
    [InlineData("http://127.0.0.1:1,https://", "no host")]
    [InlineData("http:///path-only", "no host")]
    [InlineData("https://proxy.example:99999", "not a valid host and port")]
    public void Build_UpstreamUrlWithoutUsableHost_ProblemNamingTheValueNotACrash(string upstream, string reason)
    {
        var result = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["upstream"] = upstream }, Env());

        var problem = Assert.Single(result.Problems);
        Assert.Equal("upstream", problem.Key);
        Assert.Contains(reason, problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NoSources_UsesIssueDefaults()
    {
        var result = ServeOptionsBuilder.Build(NoFlags, Env());

        var o = Assert.IsType<ServeOptions>(result.Options);
        Assert.Equal("127.0.0.1:3000", o.Listen.ToString());
        Assert.Equal("/home/gopher/.cache/moddock", o.Storage);
        Assert.Equal("https://proxy.golang.org,direct", o.UpstreamText);
        Assert.Equal([ProxyEntryKind.Url, ProxyEntryKind.Direct], o.Upstreams.Select(e => e.Kind));
        Assert.Equal("sum.golang.org", o.Sumdb);
        Assert.False(o.Offline);
        Assert.True(o.Private.IsEmpty);
        Assert.Equal(TimeSpan.FromSeconds(60), o.ListTtl);
        Assert.Equal(TimeSpan.FromSeconds(60), o.NotFoundTtl);
        Assert.Equal(TimeSpan.FromSeconds(5), o.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), o.FirstByteTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), o.BodyIdleTimeout);
    }

    [Fact]
    public void Build_AllThreeSources_FlagBeatsEnvBeatsFile()
    {
        var file = WriteYaml("""
            listen: 127.0.0.1:1111
            storage: /from/file
            upstream: http://file.example
            sumdb: "off"
            list-ttl: 5m
            """);
        var flags = new Dictionary<string, string> { ["config"] = file, ["listen"] = "127.0.0.1:3333" };
        var env = Env(("MODDOCK_LISTEN", "127.0.0.1:2222"), ("MODDOCK_STORAGE", "/from/env"));

        var o = ServeOptionsBuilder.Build(flags, env).Options!;

        Assert.Equal(3333, o.Listen.Port);
        Assert.Equal("/from/env", o.Storage);
        Assert.Equal("http://file.example", o.UpstreamText);
        Assert.True(o.SumdbOff);
        Assert.Equal(TimeSpan.FromMinutes(5), o.ListTtl);
    }

    [Fact]
    public void Build_EveryEnvironmentVariable_IsRead()
    {
        var env = Env(
            ("MODDOCK_LISTEN", "[::1]:4000"),
            ("MODDOCK_STORAGE", "~/cache"),
            ("MODDOCK_UPSTREAM", "http://a.example|http://b.example,off"),
            ("MODDOCK_PRIVATE", "corp.example,*.internal"),
            ("MODDOCK_INSECURE", "git.corp.example"),
            ("MODDOCK_SUMDB", "off"),
            ("MODDOCK_OFFLINE", "true"),
            ("MODDOCK_NOT_FOUND_TTL", "0"),
            ("MODDOCK_FIRST_BYTE_TIMEOUT", "500ms"),
            ("MODDOCK_DIRECT_GIT_CONCURRENCY", "2"));

        var result = ServeOptionsBuilder.Build(NoFlags, env);

        var o = Assert.IsType<ServeOptions>(result.Options);
        Assert.Equal("[::1]:4000", o.Listen.ToString());
        Assert.Equal("/home/gopher/cache", o.Storage);
        Assert.Equal(3, o.Upstreams.Count);
        Assert.True(o.Upstreams[0].FallBackOnAnyError);
        Assert.Equal(ProxyEntryKind.Off, o.Upstreams[2].Kind);
        Assert.True(o.Private.Matches("corp.example/x"));
        Assert.True(o.Insecure.Matches("git.corp.example/y"));
        Assert.True(o.SumdbOff);
        Assert.True(o.Offline);
        Assert.Equal(TimeSpan.Zero, o.NotFoundTtl);
        Assert.Equal(TimeSpan.FromMilliseconds(500), o.FirstByteTimeout);
        Assert.Equal(2, o.Direct.GitConcurrency);
    }

    [Fact]
    public void Build_YamlListsAndDirectSection_AreRead()
    {
        var file = WriteYaml("""
            private:
              - corp.example
              - other.example/team
            offline: yes
            direct:
              git-concurrency: 8
              git-timeout: 90s
            """);

        var o = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["config"] = file }, Env()).Options!;

        Assert.Equal(["corp.example", "other.example/team"], o.Private.Patterns);
        Assert.True(o.Offline);
        Assert.Equal(8, o.Direct.GitConcurrency);
        Assert.Equal(TimeSpan.FromSeconds(90), o.Direct.GitTimeout);
    }

    [Fact]
    public void Build_UnknownYamlKeys_EachIsAProblemNamingTheKey()
    {
        var file = WriteYaml("""
            listen: 127.0.0.1:3000
            upstreams: http://typo.example
            direct:
              git-concurency: 3
            """);

        var result = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["config"] = file }, Env());

        Assert.False(result.IsValid);
        Assert.Equal(["direct.git-concurency", "upstreams"], result.Problems.Select(p => p.Key).Order());
        Assert.All(result.Problems, p => Assert.Contains("unknown key", p.Message, StringComparison.Ordinal));
        Assert.All(result.Problems, p => Assert.Contains(file, p.Source, StringComparison.Ordinal));
    }

    [Fact]
    public void Build_ManyBadValues_ReportsEveryProblemWithKeyAndValue()
    {
        var file = WriteYaml("""
            sumdb: "a b c"
            connect-timeout: soon
            """);
        var flags = new Dictionary<string, string> { ["config"] = file, ["listen"] = "localhost", ["upstream"] = "ftp://mirror.example" };
        var env = Env(("MODDOCK_OFFLINE", "maybe"), ("MODDOCK_LIST_TTL", "-1s"), ("MODDOCK_DIRECT_GIT_CONCURRENCY", "0"));

        var result = ServeOptionsBuilder.Build(flags, env);

        Assert.Null(result.Options);
        var byKey = result.Problems.ToDictionary(p => p.Key);
        Assert.Equal(["connect-timeout", "direct.git-concurrency", "list-ttl", "listen", "offline", "sumdb", "upstream"], byKey.Keys.Order());
        Assert.Equal("localhost", byKey["listen"].Value);
        Assert.Equal("flag --listen", byKey["listen"].Source);
        Assert.Equal("maybe", byKey["offline"].Value);
        Assert.Equal("env MODDOCK_OFFLINE", byKey["offline"].Source);
        Assert.Equal("soon", byKey["connect-timeout"].Value);
        Assert.Contains("ftp://mirror.example", byKey["upstream"].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://u:SECRET1@127.0.0.1:1,ftp://v:SECRET2@mirror.example", "http://u:xxxxx@127.0.0.1:1,ftp://v:xxxxx@mirror.example")]
    [InlineData("http://u:SECRET1@[bad", "http://u:xxxxx@[bad")]
    [InlineData("https://SECRET3@mirror.example|ftp://x", "https://xxxxx@mirror.example|ftp://x")]
    [InlineData("https://u:p@SECRET4@mirror.example,ftp://x", "https://u:xxxxx@mirror.example,ftp://x")]
    public void Build_BadUpstreamListWithCredentials_ProblemLineMasksThem(string upstream, string shown)
    {
        // Start-up problems are printed to stderr (CI logs, the journal): the value is shown, its secrets are not.
        var result = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["upstream"] = upstream }, Env());

        var line = Assert.Single(result.Problems).ToString();
        Assert.DoesNotContain("SECRET", line, StringComparison.Ordinal);
        Assert.Contains(shown, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ConfigFileMissing_IsAProblem()
    {
        var result = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["config"] = "/nonexistent/moddock.yaml" }, Env());

        var p = Assert.Single(result.Problems);
        Assert.Equal("config", p.Key);
        Assert.Equal("/nonexistent/moddock.yaml", p.Value);
    }

    [Fact]
    public void Build_ConfigNotAMapping_IsAProblem()
    {
        var result = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["config"] = WriteYaml("- listen\n- storage\n") }, Env());

        Assert.Equal("config", Assert.Single(result.Problems).Key);
    }

    [Theory]
    [InlineData("0.0.0.0:80", "0.0.0.0", 80)]
    [InlineData("*:3000", "*", 3000)]
    [InlineData("localhost:3000", "localhost", 3000)]
    [InlineData("127.0.0.1:0", "127.0.0.1", 0)]
    [InlineData("[::]:3000", "::", 3000)]
    public void ListenAddress_Valid_Parses(string text, string host, int port)
    {
        Assert.True(ListenAddress.TryParse(text, out var a, out var problem), problem);
        Assert.Equal(new ListenAddress(host, port), a);
    }

    [Theory]
    [InlineData("3000")]
    [InlineData(":3000")]
    [InlineData("example.com:3000")]
    [InlineData("127.0.0.1:http")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("[zz]:1")]
    public void ListenAddress_Invalid_SaysWhy(string text)
    {
        Assert.False(ListenAddress.TryParse(text, out _, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Theory]
    [InlineData("off", true)]
    [InlineData("sum.golang.org", true)]
    [InlineData("sum.golang.org https://sum.golang.google.cn", true)]
    [InlineData("sum.example.com", false)]
    [InlineData("a b c", false)]
    public void Build_SumdbValue_ValidatedAsGosumdb(string value, bool ok)
    {
        var result = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["sumdb"] = value }, Env());

        Assert.Equal(ok, result.IsValid);
        if (!ok)
        {
            Assert.Equal("sumdb", Assert.Single(result.Problems).Key);
        }
    }

    [Fact]
    public void Build_NoSumdbUnset_DefaultsToPrivatePatterns()
    {
        var o = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["private"] = "corp.example" }, Env()).Options!;

        Assert.True(o.NoSumdb.Matches("corp.example/x"));
    }

    [Fact]
    public void Build_NoSumdbGiven_AddsToPrivatePatternsInsteadOfReplacingThem()
    {
        // A private path must never be looked up in the public database, whatever --nosumdb lists.
        var o = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["private"] = "git.corp.example", ["nosumdb"] = "example.com/vendored" }, Env()).Options!;

        Assert.True(o.NoSumdb.Matches("git.corp.example/team/lib"));
        Assert.True(o.NoSumdb.Matches("example.com/vendored/x"));
        Assert.False(o.NoSumdb.Matches("github.com/stretchr/testify"));
    }

    [Fact]
    public void Build_PrivateSumdbKeyIsADirectory_ProblemSaysSo()
    {
        var result = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["private-sumdb-key"] = Path.GetTempPath() }, Env());

        var p = Assert.Single(result.Problems);
        Assert.Equal("private-sumdb-key", p.Key);
        Assert.Contains("is a directory", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_PrivateSumdbKeyMissingFile_IsAProblem()
    {
        var result = ServeOptionsBuilder.Build(new Dictionary<string, string> { ["private-sumdb-key"] = "/nonexistent/key" }, Env());

        Assert.Equal("private-sumdb-key", Assert.Single(result.Problems).Key);
    }
}
