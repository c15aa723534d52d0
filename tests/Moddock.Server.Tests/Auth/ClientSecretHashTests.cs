using Moddock.Server.Auth;

namespace Moddock.Server.Tests.Auth;

public sealed class ClientSecretHashTests
{
    [Fact]
    public void Create_SameSecretTwice_DifferentSaltsBothVerify()
    {
        var a = ClientSecretHash.Create("s3cret", 1000);
        var b = ClientSecretHash.Create("s3cret", 1000);

        Assert.NotEqual(a, b);
        Assert.True(ClientSecretHash.Verify("s3cret", a));
        Assert.True(ClientSecretHash.Verify("s3cret", b));
        Assert.False(ClientSecretHash.Verify("s3cret!", a));
        Assert.DoesNotContain("s3cret", a, StringComparison.Ordinal);
        Assert.StartsWith("pbkdf2-sha256$1000$", a, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain-secret")]
    [InlineData("pbkdf2-sha256$0$AAAA$AAAA")]
    [InlineData("sha1$1000$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1000$not base64$AAAA")]
    public void VerifyAndValidate_MalformedHash_Rejected(string stored)
    {
        Assert.False(ClientSecretHash.Verify("anything", stored));
        Assert.False(ClientSecretHash.IsWellFormed(stored));
        var problems = ClientAuthExtensions.Validate(new ClientAuthOptions { Tokens = [new ClientCredential("t", stored)] });
        Assert.Contains(problems, p => p.Contains("t: hash must look like", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RuleAllowsUnknownName_Reported()
    {
        var problems = ClientAuthExtensions.Validate(new ClientAuthOptions
        {
            Tokens = [new ClientCredential("ci", ClientSecretHash.Create("x", 1000))],
            Rules = [new ClientAccessRule("corp.example/*", Allow: ["ci", "ghost"]), new ClientAccessRule("")],
        });

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("unknown user or token ghost", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("empty pattern", StringComparison.Ordinal));
    }
}
