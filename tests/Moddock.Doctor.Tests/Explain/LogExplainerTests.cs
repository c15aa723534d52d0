using Moddock.Doctor.Explain;
using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Tests.Explain;

public sealed class LogExplainerTests
{
    [Fact]
    public async Task ExplainAsync_NormalOutput_YieldsNothing()
    {
        const string log = """
            go: downloading github.com/stretchr/testify v1.8.1
            go: downloading golang.org/x/mod v0.7.0
            go: finding module for package github.com/google/uuid
            go: found github.com/google/uuid in github.com/google/uuid v1.3.0
            go: added golang.org/x/text v0.5.0
            ok  	example.com/m	0.012s
            """;

        Assert.Empty(await LogExplainerCorpusTests.Explain(log));
    }

    [Fact]
    public async Task ExplainAsync_OneFailureOverManyLines_NamesDeepestCauseOnce()
    {
        const string log = """
            go: example.com/app imports
            	github.com/acme/x: github.com/acme/x@v1.0.0: verifying module: github.com/acme/x@v1.0.0: reading https://sum.golang.org/lookup/github.com/acme/x@v1.0.0: Get "https://sum.golang.org/lookup/github.com/acme/x@v1.0.0": dial tcp 10.0.0.9:443: connect: connection refused
            """;

        var f = Assert.Single(await LogExplainerCorpusTests.Explain(log));

        Assert.Equal(CauseIds.TcpRefused, f.Cause);
        Assert.Equal(Where.Sumdb, f.Where);
        Assert.Equal("sum.golang.org", f.Host);
        Assert.Equal(2, f.Line);
    }

    [Fact]
    public async Task ExplainAsync_PrivateModuleOnPublicChecksumDb_FixNamesGoprivatePrefix()
    {
        const string log = "go: git.corp.example/team/lib@v1.0.0: verifying module: git.corp.example/team/lib@v1.0.0: reading https://sum.golang.org/lookup/git.corp.example/team/lib@v1.0.0: 410 Gone\n";

        var f = Assert.Single(await LogExplainerCorpusTests.Explain(log));

        Assert.Equal(CauseIds.PrivateModulePublicRoute, f.Cause);
        Assert.Equal("go env -w GOPRIVATE=git.corp.example", f.Fix);
    }

    [Fact]
    public async Task ExplainAsync_PrivateProxyRelaysItsDnsFailure_NamesTheRelayedCauseAndHost()
    {
        // Captured from go 1.19 through `moddock serve` whose host cannot resolve sum.golang.org.
        const string log = """
            go: example.com/a@v1.0.0: reading http://127.0.0.1:18092/example.com/a/@v/v1.0.0.mod: 502 Bad Gateway
            	server response: cannot verify example.com/a v1.0.0/go.mod: checksum database unavailable: verifying example.com/a@v1.0.0: checksum database sum.golang.org: example.com/a@v1.0.0: https://sum.golang.org/lookup/example.com/a@v1.0.0: Name or service not known (sum.golang.org:443)
            """;

        var f = Assert.Single(await LogExplainerCorpusTests.Explain(log));

        Assert.Equal(CauseIds.DnsNxdomain, f.Cause);
        Assert.Equal(Where.Sumdb, f.Where);
        Assert.Equal("sum.golang.org", f.Host);
        // The resolver that failed is the proxy's: resolvectl here would ask this machine's.
        Assert.Equal("moddock doctor --module example.com/a   # on the host of http://127.0.0.1:18092", f.Fix);
        Assert.Equal(2, f.Line);
    }

    [Fact]
    public async Task ExplainAsync_PrivateProxyRelaysUpstreamRefused_NamesTheUpstream()
    {
        const string log = """
            go: example.com/a@v1.0.0: reading http://moddock.corp.example:3000/example.com/a/@v/v1.0.0.mod: 502 Bad Gateway
            	server response: https://proxy.golang.org/example.com/a/@v/v1.0.0.mod: dial tcp 142.250.1.1:443: connect: connection refused
            """;

        var f = Assert.Single(await LogExplainerCorpusTests.Explain(log));

        Assert.Equal(CauseIds.TcpRefused, f.Cause);
        Assert.Equal(Where.Proxy, f.Where);
        Assert.Equal("proxy.golang.org", f.Host);
    }

    [Fact]
    public async Task ExplainAsync_ModdockThrottlesFailingCredentials_ARefusalWithTheNetrcFix()
    {
        const string log = """
            go: git.corp.example/team/lib@v1.0.0: reading https://moddock.corp.example:3443/git.corp.example/team/lib/@v/v1.0.0.mod: 429 Too Many Requests
            	server response: too many failed authentication attempts from 10.1.2.3: credentials are checked again in 42 s
            """;

        var f = Assert.Single(await LogExplainerCorpusTests.Explain(log));

        Assert.Equal(CauseIds.HttpForbidden, f.Cause);
        Assert.Equal(Where.Proxy, f.Where);
        Assert.Contains("machine moddock.corp.example", f.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("507 Insufficient Storage", "cannot store example.com/mid@v1.0.0.zip in the storage: it is 3146209 bytes, and the storage has 2088960 bytes free")]
    [InlineData("507 Insufficient Storage", "cannot store example.com/mid@v1.0.0.zip in the storage: No space left on device : '/var/lib/moddock/example.com/mid/@v/.tmp-1'")]
    [InlineData("502 Bad Gateway", "cannot store example.com/mid@v1.0.0.zip in the storage: No space left on device : '/var/lib/moddock/example.com/mid/@v/.tmp-1'")]
    public async Task ExplainAsync_ModdockCannotWriteItsStorage_TheProxysDiskNotTheRoute(string status, string reason)
    {
        // Moddock's answer when its disk is full (507; 502 before Moddock had a status of its own for it): before,
        // the fix was to add proxy.golang.org after it in GOPROXY.
        var log = "go: example.com/mid@v1.0.0: reading http://moddock.corp.example:3000/example.com/mid/@v/v1.0.0.zip: " + status + "\n"
            + "\tserver response: " + reason + "\n";

        var f = Assert.Single(await LogExplainerCorpusTests.Explain(log));

        Assert.Equal(CauseIds.HttpServerError, f.Cause);
        Assert.Equal(Where.Proxy, f.Where);
        Assert.Equal("moddock.corp.example:3000", f.Host);
        Assert.DoesNotContain("GOPROXY", f.Fix, StringComparison.Ordinal);
        Assert.Contains("storage", f.Fix, StringComparison.Ordinal);
        Assert.StartsWith("moddock doctor", f.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainAsync_RealModdockRelaysOpenCircuitOfRefusedUpstream_NamesUpstreamAndDoctorOnTheModdockHost()
    {
        // Real go 1.19 output through `moddock serve --upstream https://bob:pw@127.0.0.1:1` after its circuit opened:
        // the where was null and the fix set HTTPS_PROXY on the developer's machine.
        const string log = """
            go: git.corp.example/team/lib@v1.0.0: reading http://127.0.0.1:41020/git.corp.example/team/lib/@v/v1.0.0.mod: 502 Bad Gateway
            	server response: https://bob:xxxxx@127.0.0.1:1 skipped: circuit open after repeated failures (last: connection refused by 127.0.0.1:1 (https://bob:xxxxx@127.0.0.1:1))
            """;

        var f = Assert.Single(await LogExplainerCorpusTests.Explain(log));

        Assert.Equal(CauseIds.TcpRefused, f.Cause);
        Assert.Equal(Where.Proxy, f.Where);
        Assert.Equal("GOPROXY=https://bob:PASSWORD@127.0.0.1:1 moddock doctor   # on the host of http://127.0.0.1:41020", f.Fix);
    }

    [Fact]
    public async Task ExplainAsync_RealModdock404ForPrivatePathWhoseHostDoesNotResolve_NamesDnsAtGoGet()
    {
        // Real go 1.19 output through `moddock serve --private git.corp.example` on a host without the corporate
        // resolver: the finding was http.not_found with `go list -m -versions`, which repeats the same failure.
        const string log = """
            go: git.corp.example/team/lib@v1.0.0: reading http://127.0.0.1:41021/git.corp.example/team/lib/@v/v1.0.0.info: 404 Not Found
            	server response: unrecognized import path "git.corp.example/team/lib": https://git.corp.example/team/lib?go-get=1: Name or service not known (git.corp.example:443)
            """;

        var f = Assert.Single(await LogExplainerCorpusTests.Explain(log));

        Assert.Equal(CauseIds.DnsNxdomain, f.Cause);
        Assert.Equal(Where.GoGet, f.Where);
        Assert.Equal("GOPROXY=direct moddock doctor --module git.corp.example/team/lib   # on the host of http://127.0.0.1:41021", f.Fix);
    }

    [Fact]
    public async Task ExplainAsync_ModdockRefusesPrivateLookup_PrivateRouteWithGonosumdbFix()
    {
        // Moddock's /sumdb/ proxy answers 403 for a --private path instead of telling sum.golang.org its name.
        const string log = """
            go: git.corp.example/team/lib@v1.0.0: verifying module: git.corp.example/team/lib@v1.0.0: reading http://127.0.0.1:3000/sumdb/sum.golang.org/lookup/git.corp.example/team/lib@v1.0.0: 403 Forbidden
            	server response: git.corp.example/team/lib@v1.0.0: private module (matches this proxy's --nosumdb/--private patterns), not looked up in checksum database sum.golang.org; set GONOSUMDB or GOPRIVATE for it, or GOSUMDB to this proxy's private checksum database
            """;

        var f = Assert.Single(await LogExplainerCorpusTests.Explain(log));

        Assert.Equal(CauseIds.PrivateModulePublicRoute, f.Cause);
        Assert.Equal(Where.Sumdb, f.Where);
        Assert.Equal("go env -w GONOSUMDB=git.corp.example", f.Fix);
    }

    [Fact]
    public async Task ExplainAsync_ProxyServerErrorWithoutNetworkCause_StaysServerError()
    {
        const string log = """
            go: example.com/a@v1.0.0: reading http://moddock.corp.example:3000/example.com/a/@v/v1.0.0.mod: 502 Bad Gateway
            	server response: upstream answered 500 Internal Server Error
            """;

        var f = Assert.Single(await LogExplainerCorpusTests.Explain(log));

        Assert.Equal(CauseIds.HttpServerError, f.Cause);
        Assert.Equal("moddock.corp.example:3000", f.Host);
    }

    [Fact]
    public async Task ExplainAsync_SecretInProxyUrl_IsRedactedInText()
    {
        const string log = "go: module golang.org/x/text: Get \"https://alice:s3cr3tpass@goproxy.corp.example/golang.org/x/text/@v/list\": dial tcp 10.1.2.3:443: connect: connection refused\n";

        var f = Assert.Single(await LogExplainerCorpusTests.Explain(log));

        Assert.DoesNotContain("s3cr3tpass", f.Text, StringComparison.Ordinal);
        Assert.Contains("alice:xxxxx@", f.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainAsync_GarbageInput_DoesNotThrow()
    {
        var rnd = new Random(1234);
        var bytes = new byte[256 * 1024];
        rnd.NextBytes(bytes);
        using var reader = new StreamReader(new MemoryStream(bytes));

        var n = 0;
        await foreach (var f in LogExplainer.ExplainAsync(reader))
        {
            Assert.Contains(f.Cause, CauseIds.All);
            n++;
        }

        Assert.True(n >= 0);
    }

    [Fact]
    public async Task ReadLineAsync_LineLongerThanLimit_IsCutAndNextLineRead()
    {
        var text = new string('a', BoundedLineReader.MaxLineChars * 3) + "\nsecond\n";
        var reader = new BoundedLineReader(new StringReader(text));

        var first = await reader.ReadLineAsync(CancellationToken.None);
        var second = await reader.ReadLineAsync(CancellationToken.None);
        var end = await reader.ReadLineAsync(CancellationToken.None);

        Assert.Equal(BoundedLineReader.MaxLineChars, first!.Length);
        Assert.Equal("second", second);
        Assert.Null(end);
    }

    [Fact]
    public async Task ExplainAsync_OverlongLineEndingInFailure_StillNamesTheCause()
    {
        // The go command puts the deepest error at the end of its line; cutting a long line to its head lost
        // it and reported "no failure found".
        var log = "go: example.com/x@v1.0.0: " + new string('a', BoundedLineReader.MaxLineChars * 4) + " dial tcp 10.0.0.9:443: connect: connection refused\n";

        var f = Assert.Single(await LogExplainerCorpusTests.Explain(log));

        Assert.Equal(CauseIds.TcpRefused, f.Cause);
    }

    [Theory]
    [InlineData("is after 2020-02-01T00:00:00Z", "openssl s_client -connect 127.0.0.1:41009 -servername 127.0.0.1 </dev/null 2>/dev/null | openssl x509 -noout -issuer -dates; date -u")]
    [InlineData("is before 2027-02-01T00:00:00Z", "sudo timedatectl set-ntp true")]
    public async Task ExplainAsync_CertificateExpiredOrNotYetValid_FixFollowsWhichSideIsOut(string when, string fix)
    {
        // Real go 1.19 output (the "is after" form): the certificate ended six years before the local clock, so
        // turning on NTP cannot help; a clock behind the certificate's start ("is before") is the local clock.
        var log = $"""
            go: git.corp.example/team/lib@v1.0.0: Get "https://127.0.0.1:41009/git.corp.example/team/lib/@v/v1.0.0.zip": x509: certificate has expired or is not yet valid: current time 2026-11-22T07:41:55Z {when}
            """;

        var f = Assert.Single(await LogExplainerCorpusTests.Explain(log));

        Assert.Equal(CauseIds.TlsExpired, f.Cause);
        Assert.Equal(fix, f.Fix);
    }

    [Fact]
    public async Task ExplainAsync_PublicProxyServerError_FixDoesNotFallBackToItself()
    {
        const string log = """
            go: golang.org/x/text@v0.3.7: reading https://proxy.golang.org/golang.org/x/text/@v/v0.3.7.zip: 500 Internal Server Error
            """;

        var f = Assert.Single(await LogExplainerCorpusTests.Explain(log));

        Assert.Equal("go env -w 'GOPROXY=https://proxy.golang.org|direct'", f.Fix);
    }

    [Fact]
    public async Task ExplainAsync_ProxyAuthRequiredWithoutProxyAddress_FixDoesNotPointHttpsProxyAtTheDestination()
    {
        // Real go 1.19 output with HTTPS_PROXY answering 407: the line names only the destination. Setting
        // HTTPS_PROXY to proxy.golang.org would send every request to the wrong place.
        const string log = """
            go: git.corp.example/team/lib@v1.0.0: Get "https://proxy.golang.org/git.corp.example/team/lib/@v/v1.0.0.mod": Proxy Authentication Required
            """;

        var f = Assert.Single(await LogExplainerCorpusTests.Explain(log));

        Assert.Equal(CauseIds.ProxyAuthRequired, f.Cause);
        Assert.DoesNotContain("proxy.golang.org", f.Fix, StringComparison.Ordinal);
        Assert.StartsWith("export HTTPS_PROXY=http://USER:PASSWORD@", f.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExplainAsync_GoGetHostDoesNotResolve_FixChecksTheNameInsteadOfGoprivate()
    {
        // Real go 1.19 output (GOPROXY=...,direct, the proxy said 410): the go command is already fetching
        // directly, so GOPRIVATE (which only routes to direct) cannot make the host resolve.
        const string log = """
            go: git.corp.example/team/lib@v1.0.0: unrecognized import path "git.corp.example/team/lib": https fetch: Get "https://git.corp.example/team/lib?go-get=1": dial tcp: lookup git.corp.example on 10.255.255.53:53: no such host
            """;

        var f = Assert.Single(await LogExplainerCorpusTests.Explain(log));

        Assert.Equal(CauseIds.DnsNxdomain, f.Cause);
        Assert.Equal(Where.GoGet, f.Where);
        Assert.Equal("getent hosts git.corp.example", f.Fix);
    }
}
