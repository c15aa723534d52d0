using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Moddock.Server.Auth;

/// <summary>
/// Turns an Authorization header into a principal name. PBKDF2 is deliberately slow and the go command
/// sends the header with every request, so verdicts are cached (keyed by a SHA-256 of the header, never
/// the header itself) for a few minutes, and a client address whose credentials keep failing is throttled
/// (<see cref="FailedAuthThrottle"/>).
/// </summary>
internal sealed class ClientAuthenticator(ClientAuthOptions options, TimeProvider time)
{
    private readonly FailedAuthThrottle _throttle = new(time);
    internal const int MaxCached = 10_000;
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (string? Principal, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);
    private readonly Lock _trimGate = new();
    private long _verifications;
    private long _hashChecks;

    /// <summary>Secrets checked against one stored hash (PBKDF2 runs), for tests.</summary>
    internal long HashChecks => Interlocked.Read(ref _hashChecks);

    /// <summary>Secrets checked against the configured hashes so far (cache misses), for tests.</summary>
    internal long Verifications => Interlocked.Read(ref _verifications);

    /// <summary>The principal, or null when the header is missing, malformed or its secret is wrong.</summary>
    public string? Authenticate(string? authorization) => Authenticate(authorization, null, out _);

    /// <summary>
    /// The principal, or null when the header is missing, malformed or its secret is wrong, or when it would need a
    /// verification that <paramref name="remote"/> may not have now (<paramref name="retryAfter"/> is then positive).
    /// </summary>
    public string? Authenticate(string? authorization, IPAddress? remote, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return null;
        }

        var key = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(authorization)));
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var hit) && hit.Until > now)
        {
            return hit.Principal;
        }

        if (remote is not null && _throttle.IsThrottled(remote, out retryAfter))
        {
            return null;
        }

        Interlocked.Increment(ref _verifications);
        var principal = Verify(authorization);
        if (principal is null && remote is not null)
        {
            _throttle.Failed(remote);
        }

        if (_cache.Count >= MaxCached)
        {
            Trim(now);
        }

        _cache[key] = (principal, now + CacheFor);
        return principal;
    }

    /// <summary>
    /// Makes room when the cache is full: refusals and expired verdicts go first, since anyone can send any number of
    /// distinct wrong headers, and emptying the whole cache for them would make every valid client pay PBKDF2 again.
    /// Only when valid verdicts alone fill it is it emptied.
    /// </summary>
    private void Trim(DateTimeOffset now)
    {
        lock (_trimGate)
        {
            if (_cache.Count < MaxCached)
            {
                return;
            }

            foreach (var (key, verdict) in _cache)
            {
                if (verdict.Principal is null || verdict.Until <= now)
                {
                    _cache.TryRemove(key, out _);
                }
            }

            if (_cache.Count >= MaxCached)
            {
                _cache.Clear();
            }
        }
    }

    private string? Verify(string authorization)
    {
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }

        var scheme = authorization[..space];
        var value = authorization[(space + 1)..].Trim();
        if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return MatchToken(value);
        }

        if (!scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return null;
        }

        var user = decoded[..colon];
        var password = decoded[(colon + 1)..];
        var u = options.Users.FirstOrDefault(x => string.Equals(x.Name, user, StringComparison.Ordinal));
        if (u is not null)
        {
            if (Check(password, u.SecretHash))
            {
                return u.Name;
            }
        }
        else if (options.Users.Count > 0)
        {
            // The same PBKDF2 work as for a known user, result ignored: otherwise the response time tells which
            // user names exist.
            _ = Check(password, options.Users[0].SecretHash);
        }

        // ~/.netrc only speaks Basic: a token is accepted as the password, whatever the login.
        return MatchToken(password);
    }

    private string? MatchToken(string token) =>
        token.Length == 0 ? null : options.Tokens.FirstOrDefault(t => Check(token, t.SecretHash))?.Name;

    private bool Check(string secret, string hash)
    {
        Interlocked.Increment(ref _hashChecks);
        return ClientSecretHash.Verify(secret, hash);
    }
}
