using Moddock.Server.Auth;
using Moddock.Testing;

namespace Moddock.Server.Tests.Auth;

public sealed class ClientAuthenticatorTests
{
    private static ClientAuthenticator Create(TimeProvider time) => new(
        new ClientAuthOptions { Tokens = [new ClientCredential("ci", ClientSecretHash.Create("s3cret", iterations: 1))] },
        time);

    [Fact]
    public void Authenticate_SameHeaderAgain_VerifiedOnce()
    {
        var auth = Create(TimeProvider.System);

        Assert.Equal("ci", auth.Authenticate("Bearer s3cret"));
        Assert.Equal("ci", auth.Authenticate("Bearer s3cret"));
        Assert.Null(auth.Authenticate("Bearer wrong"));
        Assert.Null(auth.Authenticate("Bearer wrong"));

        Assert.Equal(2, auth.Verifications);
    }

    [Fact]
    public void Authenticate_FloodOfWrongCredentials_ValidClientStaysCached()
    {
        // Anyone can send distinct wrong headers; filling the verdict cache with them used to empty it, so every
        // valid client paid a PBKDF2 run again (100 000 iterations in production) right when the server was busiest.
        var auth = Create(new ManualTimeProvider(DateTimeOffset.UtcNow));
        Assert.Equal("ci", auth.Authenticate("Bearer s3cret"));

        for (var i = 0; i < ClientAuthenticator.MaxCached + 10; i++)
        {
            Assert.Null(auth.Authenticate("Bearer guess-" + i));
        }

        var before = auth.Verifications;
        Assert.Equal("ci", auth.Authenticate("Bearer s3cret"));
        Assert.Equal(before, auth.Verifications);
    }

    [Fact]
    public void Authenticate_VerdictOlderThanItsLifetime_VerifiedAgain()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var auth = Create(clock);
        Assert.Equal("ci", auth.Authenticate("Bearer s3cret"));

        clock.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal("ci", auth.Authenticate("Bearer s3cret"));
        Assert.Equal(2, auth.Verifications);
    }

    [Fact]
    public void Authenticate_WrongPasswordForKnownOrUnknownUser_SameHashWork()
    {
        // A known user name cost one PBKDF2 run more than an unknown one (100 000 iterations, tens of
        // milliseconds), so response times told which user names exist.
        var auth = new ClientAuthenticator(
            new ClientAuthOptions
            {
                Users = [new ClientCredential("alice", ClientSecretHash.Create("alice-pw", iterations: 1))],
                Tokens = [new ClientCredential("ci", ClientSecretHash.Create("s3cret", iterations: 1))],
            },
            TimeProvider.System);

        var start = auth.HashChecks;
        Assert.Null(auth.Authenticate(Basic("alice", "wrong")));
        var known = auth.HashChecks - start;
        start = auth.HashChecks;
        Assert.Null(auth.Authenticate(Basic("bob", "wrong")));
        var unknown = auth.HashChecks - start;

        Assert.Equal(known, unknown);
        Assert.Equal("alice", auth.Authenticate(Basic("alice", "alice-pw")));
        Assert.Equal("ci", auth.Authenticate(Basic("bob", "s3cret")));
    }

    private static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(user + ":" + password));
    [Fact]
    public void Authenticate_OneAddressKeepsSendingWrongCredentials_ThrottledWithoutFurtherHashingUntilTheWindowEnds()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var auth = Create(time);
        var attacker = System.Net.IPAddress.Parse("203.0.113.7");
        var other = System.Net.IPAddress.Parse("198.51.100.2");
        Assert.Equal("ci", auth.Authenticate("Bearer s3cret", attacker, out _));
        for (var i = 0; i < FailedAuthThrottle.DefaultMaxFailures; i++)
        {
            Assert.Null(auth.Authenticate("Bearer guess-" + i, attacker, out var wait));
            Assert.Equal(TimeSpan.Zero, wait);
        }

        var checks = auth.HashChecks;
        Assert.Null(auth.Authenticate("Bearer one-guess-too-many", attacker, out var retryAfter));
        Assert.True(retryAfter > TimeSpan.Zero);
        Assert.Equal(checks, auth.HashChecks); // no PBKDF2 spent on it

        // A valid header already verified still works from that address; other addresses are not affected.
        Assert.Equal("ci", auth.Authenticate("Bearer s3cret", attacker, out _));
        Assert.Null(auth.Authenticate("Bearer wrong-elsewhere", other, out var otherWait));
        Assert.Equal(TimeSpan.Zero, otherWait);

        // The window ends: the address's credentials are checked again.
        time.Advance(retryAfter + TimeSpan.FromSeconds(1));
        Assert.Null(auth.Authenticate("Bearer one-guess-too-many", attacker, out var after));
        Assert.Equal(TimeSpan.Zero, after);
        Assert.True(auth.HashChecks > checks);
    }

    [Fact]
    public void Authenticate_IPv4MappedAddress_SharesTheIPv4Budget()
    {
        var auth = Create(new ManualTimeProvider(DateTimeOffset.UtcNow));
        var v4 = System.Net.IPAddress.Parse("203.0.113.8");
        for (var i = 0; i < FailedAuthThrottle.DefaultMaxFailures; i++)
        {
            auth.Authenticate("Bearer guess-" + i, i % 2 == 0 ? v4 : v4.MapToIPv6(), out _);
        }

        Assert.Null(auth.Authenticate("Bearer another", v4.MapToIPv6(), out var retryAfter));
        Assert.True(retryAfter > TimeSpan.Zero);
    }
}
