using System.Collections.Concurrent;
using System.Net;

namespace Moddock.Server.Auth;

/// <summary>
/// Caps how much PBKDF2 one client address can make the server run for credentials that turn out wrong. Every
/// distinct wrong header costs a full verification (one run per configured token, ~50 ms each at production
/// iterations), so without a cap one client sending made-up credentials could keep the cores busy. After
/// <c>maxFailures</c> failed verifications in a window, that address's uncached credentials are refused with 429
/// until the window ends; verdicts already cached (a valid client's header) are unaffected.
/// </summary>
internal sealed class FailedAuthThrottle(TimeProvider time, int maxFailures = FailedAuthThrottle.DefaultMaxFailures, TimeSpan? window = null)
{
    public const int DefaultMaxFailures = 20;
    private const int MaxTracked = 10_000;
    private readonly TimeSpan _window = window ?? TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();

    /// <summary>Whether this address has used up its failures for now, and when it may try again.</summary>
    public bool IsThrottled(IPAddress remote, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_windows.TryGetValue(Normal(remote), out var w))
        {
            return false;
        }

        lock (w)
        {
            var left = w.Start + _window - time.GetUtcNow();
            if (left <= TimeSpan.Zero || w.Failures < maxFailures)
            {
                return false;
            }

            retryAfter = left;
            return true;
        }
    }

    /// <summary>Counts one failed verification against the address.</summary>
    public void Failed(IPAddress remote)
    {
        var now = time.GetUtcNow();
        if (_windows.Count >= MaxTracked)
        {
            Trim(now);
        }

        var w = _windows.GetOrAdd(Normal(remote), _ => new Window { Start = now });
        lock (w)
        {
            if (now - w.Start >= _window)
            {
                w.Start = now;
                w.Failures = 0;
            }

            w.Failures++;
        }
    }

    private void Trim(DateTimeOffset now)
    {
        foreach (var (address, w) in _windows)
        {
            if (now - w.Start >= _window)
            {
                _windows.TryRemove(address, out _);
            }
        }

        if (_windows.Count >= MaxTracked)
        {
            // Tens of thousands of addresses failing at once: forget them all rather than grow without bound.
            _windows.Clear();
        }
    }

    // An IPv4 client on a dual-stack listener shows up as ::ffff:a.b.c.d; one address, one budget.
    private static IPAddress Normal(IPAddress a) => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;

    private sealed class Window
    {
        public DateTimeOffset Start { get; set; }

        public int Failures { get; set; }
    }
}
