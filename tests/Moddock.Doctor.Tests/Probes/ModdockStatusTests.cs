using Moddock.Doctor.Probes;
using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Tests.Probes;

public sealed class ModdockStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 7, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("")]
    [InlineData("404 page not found")]
    [InlineData("{\"status\":\"ok\"}")]
    [InlineData("[1,2]")]
    [InlineData("{\"upstreams\":\"x\",\"storage\":{}}")]
    public void Interpret_NotModdocksReadyz_NoChecks(string body) =>
        Assert.Empty(ModdockStatus.Interpret("proxy http://p", body, Now));

    [Fact]
    public void Interpret_OpenCircuitAfterRefusals_WarnsWithTcpRefusedAndDoctorFixForTheModdockHost()
    {
        var body = Readyz(Upstream("https://proxy.golang.org", "open", "connection refused by proxy.golang.org:443 (https://proxy.golang.org)", Now.AddSeconds(-30)));

        var c = Assert.Single(ModdockStatus.Interpret("proxy http://moddock:3000", body, Now));

        Assert.Equal("moddock upstream https://proxy.golang.org", c.Name);
        Assert.Equal(CheckStatus.Warn, c.Status);
        Assert.Equal(CauseIds.TcpRefused, c.Cause);
        Assert.Equal(Where.Proxy, c.Where);
        Assert.Contains("circuit open", c.Detail, StringComparison.Ordinal);
        Assert.Contains("30 s ago", c.Detail, StringComparison.Ordinal);
        Assert.Equal("GOPROXY=https://proxy.golang.org moddock doctor   # on the Moddock host", c.Fix);
    }

    [Theory]
    [InlineData("n/a")]
    [InlineData("unknown")]
    [InlineData("offline")]
    public void Interpret_UpstreamWithoutCircuitAndNoFailure_Ok(string state)
    {
        // Real readyz of `moddock serve --upstream https://a.example,direct`: direct has no circuit ("n/a"); it
        // was reported as "circuit n/a: the Moddock skips it" with http.server_error.
        var body = Readyz($$"""{"name":"direct","kind":"direct","fallback":"not-found","state":"{{state}}","lastFailure":null,"lastFailureAt":null}""");

        var c = Assert.Single(ModdockStatus.Interpret("proxy http://moddock:3000", body, Now));

        Assert.Equal(CheckStatus.Ok, c.Status);
    }

    [Fact]
    public void Interpret_UpstreamNameWithRedactedPassword_FixAsksForThePassword()
    {
        // Moddock redacts the upstream's password in /readyz; a fix with "xxxxx" in it cannot authenticate.
        var body = Readyz(Upstream("https://bob:xxxxx@goproxy.corp.example", "open", "connection refused by goproxy.corp.example:443 (https://bob:xxxxx@goproxy.corp.example)", Now.AddSeconds(-30)));

        var c = Assert.Single(ModdockStatus.Interpret("proxy http://moddock:3000", body, Now));

        Assert.Equal("GOPROXY=https://bob:PASSWORD@goproxy.corp.example moddock doctor   # on the Moddock host", SecretRedactor.Redact(c.Fix));
    }

    [Fact]
    public void Interpret_ClosedCircuitOldFailure_Ok()
    {
        var body = Readyz(Upstream("https://a.example", "closed", "https://a.example sent no response within 15 s (first-byte timeout)", Now.AddHours(-2)));

        var c = Assert.Single(ModdockStatus.Interpret("proxy http://moddock:3000", body, Now));

        Assert.Equal(CheckStatus.Ok, c.Status);
        Assert.Null(c.Cause);
    }

    [Fact]
    public void Interpret_ClosedCircuitRecentFailure_WarnsWithItsCause()
    {
        var body = Readyz(Upstream("https://a.example", "closed", "https://a.example sent no response within 15 s (first-byte timeout)", Now.AddMinutes(-1)));

        var c = Assert.Single(ModdockStatus.Interpret("proxy http://moddock:3000", body, Now));

        Assert.Equal(CheckStatus.Warn, c.Status);
        Assert.Equal(CauseIds.HttpTimeout, c.Cause);
    }

    [Fact]
    public void Interpret_StorageNotWritableAndOffline_FailAndWarn()
    {
        const string body = """{"ready":false,"storage":{"path":"/var/lib/moddock","writable":false,"problem":"No space left on device"},"offline":true,"upstreams":[]}""";

        var checks = ModdockStatus.Interpret("proxy http://moddock:3000", body, Now);

        var storage = Assert.Single(checks, c => c.Name == "moddock storage");
        Assert.Equal(CheckStatus.Fail, storage.Status);
        Assert.Contains("No space left on device", storage.Detail, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Warn, Assert.Single(checks, c => c.Name == "moddock offline").Status);
    }

    [Fact]
    public void Interpret_SecretInUpstreamUrl_Redacted()
    {
        var body = Readyz(Upstream("https://bob:hunter2pass@mirror.example", "open", "connection refused by mirror.example:443 (https://bob:hunter2pass@mirror.example)", Now));

        var c = Assert.Single(ModdockStatus.Interpret("proxy http://moddock:3000", body, Now));

        Assert.DoesNotContain("hunter2pass", c.Name + c.Detail + c.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("connection refused by a.example:443 (https://a.example)", CauseIds.TcpRefused)]
    [InlineData("connecting to a.example:443 timed out after 5 s (connect timeout)", CauseIds.TcpTimeout)]
    [InlineData("https://a.example stalled for 60 s after 10 bytes of x/@v/v1.0.0.zip (body idle timeout)", CauseIds.HttpTimeout)]
    [InlineData("cannot resolve a.example (https://a.example)", CauseIds.DnsNxdomain)]
    [InlineData("TLS handshake with a.example:443 failed: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot", CauseIds.TlsUnknownAuthority)]
    [InlineData("TLS handshake with a.example:443 failed: The remote certificate is invalid because of errors in the certificate chain: NotTimeValid", CauseIds.TlsExpired)]
    [InlineData("TLS handshake with a.example:443 failed: The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch", CauseIds.TlsHostnameMismatch)]
    [InlineData("https://a.example answered 500 Internal Server Error", CauseIds.HttpServerError)]
    [InlineData("https://a.example answered 403 Forbidden: no", CauseIds.HttpForbidden)]
    [InlineData("https://a.example skipped: circuit open after repeated failures (last: connection refused by a.example:443 (https://a.example))", CauseIds.TcpRefused)]
    [InlineData("connection to a.example:443 reset: Connection reset by peer", CauseIds.TcpReset)]
    public void Cause_ModdockUpstreamFailureText_CauseId(string text, string cause) =>
        Assert.Equal(cause, ModdockFailureText.Cause(text));

    private static string Upstream(string name, string state, string failure, DateTimeOffset at) =>
        $$"""{"name":"{{name}}","kind":"url","fallback":"not-found","state":"{{state}}","lastFailure":"{{failure}}","lastFailureAt":"{{at:O}}"}""";

    private static string Readyz(params string[] upstreams) =>
        $$$"""{"ready":true,"storage":{"path":"/s","writable":true,"problem":null},"offline":false,"upstreams":[{{{string.Join(',', upstreams)}}}],"tls":{"enabled":false}}""";
}
