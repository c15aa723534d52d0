using Moddock.Doctor.Lint;
using Moddock.Doctor.Reporting;
using Moddock.Doctor.Settings;

namespace Moddock.Doctor.Tests.Lint;

public sealed class SettingsLinterTests
{
    [Theory]
    [InlineData("sum.golang.org", null)]
    [InlineData("sum.golang.google.cn", null)]
    [InlineData("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8", null)]
    [InlineData("sum.golang.org+033de0af+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8", "malformed verifier id")]
    [InlineData("sumdb.corp.example", "no public key")]
    [InlineData("a b c", "too many fields")]
    public void GosumdbParse_Value_ErrorAsGoWouldSay(string value, string? error)
    {
        var s = GosumdbSetting.Parse(value);

        if (error is null)
        {
            Assert.Null(s.Error);
        }
        else
        {
            Assert.Contains(error, s.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("off", CauseIds.GoproxyOff, "fail")]
    [InlineData(",", CauseIds.GoproxyInvalid, "fail")]
    [InlineData("  ", CauseIds.GoproxyInvalid, "fail")]
    [InlineData("https://proxy.golang.org,dirct", CauseIds.GoproxyInvalid, "fail")]
    [InlineData("ftp://mirror.example", CauseIds.GoproxyInvalid, "fail")]
    [InlineData("https://proxy.golang.rog,direct", CauseIds.GoproxyInvalid, "warn")]
    [InlineData("https://proxy.golang.org,off", CauseIds.GoproxyOff, "warn")]
    public void Lint_Goproxy_NamesCause(string goproxy, string cause, string status)
    {
        var checks = SettingsLinter.Lint(Settings(("GOPROXY", goproxy)), []);

        Assert.Contains(checks, c => c.Cause == cause && c.Status.ToString().Equals(status, StringComparison.OrdinalIgnoreCase) && c.Where == Where.Local && c.Fix is not null);
    }

    [Fact]
    public void Lint_PrivateLookingModuleNotCovered_WarnsWithGoprivateFix()
    {
        var checks = SettingsLinter.Lint(Settings(("GOPROXY", "https://proxy.golang.org,direct")), ["git.corp.example/team/lib", "github.com/stretchr/testify"]);

        var c = Assert.Single(checks, c => c.Cause == CauseIds.PrivateModulePublicRoute);
        Assert.Equal("go env -w GOPRIVATE=git.corp.example", c.Fix);
    }

    [Theory]
    [InlineData("http://moddock.corp.example:3000", "")]
    [InlineData("http://moddock.corp.example:3000,direct", "")]
    [InlineData("http://moddock.corp.example:3000", "other.example")]
    public void Lint_PrivateModuleBehindPrivateProxy_FixIsGonosumdbNotGoprivate(string goproxy, string gonosumdb)
    {
        // Only the checksum database would see the path: GOPRIVATE would also make go bypass the private proxy.
        var checks = SettingsLinter.Lint(Settings(("GOPROXY", goproxy), ("GONOSUMDB", gonosumdb)), ["git.corp.example/team/lib"]);

        var c = Assert.Single(checks, c => c.Cause == CauseIds.PrivateModulePublicRoute);
        Assert.Equal("go env -w GONOSUMDB=" + string.Join(',', new[] { gonosumdb, "git.corp.example" }.Where(x => x.Length > 0)), c.Fix);
        Assert.Contains("checksum database", c.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("public proxy", c.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_PrivateModuleCoveredByGoprivate_NoWarning()
    {
        var checks = SettingsLinter.Lint(Settings(("GOPRIVATE", "*.corp.example"), ("GONOPROXY", "*.corp.example"), ("GONOSUMDB", "*.corp.example")), ["git.corp.example/team/lib"]);

        Assert.DoesNotContain(checks, c => c.Cause == CauseIds.PrivateModulePublicRoute);
    }

    [Fact]
    public void Lint_HttpProxyWithoutHttpsProxyAndDeadNoProxy_Warns()
    {
        var checks = SettingsLinter.Lint(Settings(("HTTP_PROXY", "http://proxy:3128"), ("NO_PROXY", "https://git.corp.example,*corp.example,.ok.example,10.0.0.0/8")), []);

        Assert.Contains(checks, c => c.Name == "lint HTTPS_PROXY" && c.Status == CheckStatus.Warn);
        Assert.Equal(["https://git.corp.example", "*corp.example"], checks.Where(c => c.Name == "lint NO_PROXY").Select(c => c.Target));
    }

    [Fact]
    public void Lint_DeadNoProxyEntries_FixDropsAllOfThemQuotedForTheShell()
    {
        // Each fix used to drop only its own dead entry (copying one kept the other) and left `*` and `[::1]`
        // unquoted, where the shell expands them against the files of the current directory.
        var checks = SettingsLinter.Lint(Settings(("HTTPS_PROXY", "http://proxy:3128"), ("NO_PROXY", "https://git.corp.example,*.ok.example,*corp.example,[::1]")), []);

        var fixes = checks.Where(c => c.Name == "lint NO_PROXY").Select(c => c.Fix).ToList();

        Assert.Equal(2, fixes.Count);
        Assert.All(fixes, f => Assert.Equal("export NO_PROXY='*.ok.example,[::1]'", f));
    }

    [Theory]
    [InlineData("https//proxy.golang.org,direct", "https://proxy.golang.org")]
    [InlineData("https:/goproxy.corp.example,direct", "https://goproxy.corp.example")]
    public void Lint_GoproxySchemeMissingACharacter_WarnsWithTheIntendedUrl(string goproxy, string intended)
    {
        // Go reads "https//proxy.golang.org" as https://https//proxy.golang.org: a host named "https". The lint
        // said "1 proxy URL(s), then direct".
        var checks = SettingsLinter.Lint(Settings(("GOPROXY", goproxy)), []);

        var c = Assert.Single(checks, c => c.Name == "lint GOPROXY");
        Assert.Equal(CheckStatus.Warn, c.Status);
        Assert.Equal(CauseIds.GoproxyInvalid, c.Cause);
        Assert.Contains("did you mean " + intended + "?", c.Detail, StringComparison.Ordinal);
    }

    private static GoSettings Settings(params (string Key, string Value)[] values)
    {
        var d = new Dictionary<string, GoSetting>();
        foreach (var k in GoSettings.GoKeys.Concat(GoSettings.ProxyKeys))
        {
            var v = values.FirstOrDefault(x => x.Key == k).Value ?? k switch
            {
                "GOPROXY" => "https://proxy.golang.org,direct",
                "GOSUMDB" => "sum.golang.org",
                _ => string.Empty,
            };
            d[k] = new GoSetting(k, v, SettingOrigin.Environment, "test");
        }

        return new GoSettings(d, new GoEnvFile(null, new Dictionary<string, string>(), [], null), "test", null, null);
    }
}
