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
    [InlineData("GOPROXY https://tok_abcdefghijklmnop1234@127.0.0.1:41007: from environment", "tok_abcdefghijklmnop1234")]
    public void Redact_TextWithSecret_RemovesIt(string text, string secret)
    {
        Assert.DoesNotContain(secret, SecretRedactor.Redact(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_UrlWithShortUserOnly_KeepsIt()
    {
        Assert.Equal("ssh://git@github.com/acme/x", SecretRedactor.Redact("ssh://git@github.com/acme/x"));
    }

    [Fact]
    public void Redact_UrlWithPassword_KeepsUserLikeGo()
    {
        Assert.Equal("http://bob:xxxxx@proxy.corp:3128", SecretRedactor.Redact("http://bob:hunter2@proxy.corp:3128"));
    }

    [Theory]
    [InlineData("proxy.auth_required", "http-proxy")]
    [InlineData("http.forbidden", "proxy")]
    public void Redact_FixWithPlaceholderCredentials_LeavesTheFixCopyable(string cause, string where)
    {
        // A fix such as `echo 'machine h login USER password TOKEN' >> ~/.netrc` names placeholders, not
        // secrets: masking them printed `password xxxxx >> ~/.netrc` (the closing quote eaten) and `USER:xxxxx@`.
        var fix = FixSuggestions.For(cause, where, new FixContext("proxy.corp.example:3128"));

        Assert.Equal(fix, SecretRedactor.Redact(fix));
    }

    [Fact]
    public void Redact_NetrcPasswordBeforeQuote_MasksOnlyThePassword()
    {
        Assert.Equal("echo 'machine h login bob password xxxxx' >> ~/.netrc", SecretRedactor.Redact("echo 'machine h login bob password hunter2' >> ~/.netrc"));
    }
}
