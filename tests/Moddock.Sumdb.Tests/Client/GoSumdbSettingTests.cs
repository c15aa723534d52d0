using Moddock.Sumdb.Client;
using Moddock.Sumdb.Note;

namespace Moddock.Sumdb.Tests.Client;

public sealed class GoSumdbSettingTests
{
    [Theory]
    [InlineData("off")]
    [InlineData(" off ")]
    public void TryParse_Off_IsOff(string value)
    {
        Assert.True(GoSumdbSetting.TryParse(value, out var s, out _));
        Assert.True(s!.Off);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("sum.golang.org")]
    public void TryParse_DefaultOrKnownName_UsesSumGolangOrgKey(string? value)
    {
        Assert.True(GoSumdbSetting.TryParse(value, out var s, out var error), error);
        Assert.Equal("sum.golang.org", s!.Name);
        Assert.Equal(new Uri("https://sum.golang.org"), s.BaseUrl);
        Assert.Equal(0x033de0aeu, s.Verifier.KeyHash);
    }

    [Fact]
    public void TryParse_GoogleCnAlias_SumGolangOrgKeyWithItsUrl()
    {
        Assert.True(GoSumdbSetting.TryParse("sum.golang.google.cn", out var s, out _));
        Assert.Equal("sum.golang.org", s!.Name);
        Assert.Equal(new Uri("https://sum.golang.google.cn"), s.BaseUrl);
    }

    [Fact]
    public void TryParse_KeyAndUrl_Parsed()
    {
        var (_, vkey) = NoteKeys.Generate("moddock.internal/private");
        Assert.True(GoSumdbSetting.TryParse(vkey + " http://127.0.0.1:3000/sumdb/moddock.internal/private", out var s, out var error), error);
        Assert.Equal("moddock.internal/private", s!.Name);
        Assert.Equal("http://127.0.0.1:3000/sumdb/moddock.internal/private", s.BaseUrl.AbsoluteUri);
        Assert.True(GoSumdbSetting.TryParse(vkey, out var noUrl, out _));
        Assert.Equal(new Uri("https://moddock.internal/private"), noUrl!.BaseUrl);
    }

    [Theory]
    [InlineData("sum.golang.org https://a https://b", "too many fields")]
    [InlineData("notakey", "invalid GOSUMDB")]
    [InlineData("sum.golang.org+033de0af+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8", "invalid GOSUMDB")]
    [InlineData("sum.golang.org ftp://x", "invalid GOSUMDB URL")]
    public void TryParse_Malformed_ErrorNamesProblem(string value, string want)
    {
        Assert.False(GoSumdbSetting.TryParse(value, out _, out var error));
        Assert.Contains(want, error);
    }

    [Theory]
    [InlineData("-bad-/")]
    [InlineData("host/path/")]
    [InlineData("host?x")]
    public void TryParse_NameNotHostPath_Rejected(string name)
    {
        var (_, vkey) = NoteKeys.Generate(name);
        Assert.False(GoSumdbSetting.TryParse(vkey, out _, out var error));
        Assert.Contains("host[/path]", error);
    }
}
