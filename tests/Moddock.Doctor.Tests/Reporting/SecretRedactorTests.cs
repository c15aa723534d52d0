using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Tests.Reporting;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("https://bob:hunter2@proxy.corp:3128", "hunter2")]
    [InlineData("machine git.corp.example login bob password hunter2", "hunter2")]
    [InlineData("Authorization: Bearer abcdef0123456789", "abcdef0123456789")]
    [InlineData("https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/acme/x", "ghp_abcdefghijklmnopqrstuvwxyz0123456789")]
    [InlineData("url?token=abc123secret&x=1", "abc123secret")]
    [InlineData("glpat-abcdefghij0123456789xyz in a log", "glpat-abcdefghij0123456789xyz")]
    public void Redact_TextWithSecret_RemovesIt(string text, string secret)
    {
        Assert.DoesNotContain(secret, SecretRedactor.Redact(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_UrlWithPassword_KeepsUserLikeGo()
    {
        Assert.Equal("http://bob:xxxxx@proxy.corp:3128", SecretRedactor.Redact("http://bob:hunter2@proxy.corp:3128"));
    }
}
