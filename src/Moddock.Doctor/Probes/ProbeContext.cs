using Moddock.Doctor.Probes.Dns;
using Moddock.Doctor.Probes.Net;
using Moddock.Doctor.Probes.Tls;

namespace Moddock.Doctor.Probes;

/// <summary>What every probe shares: the clock, the one deadline for the whole run, the resolver, the HTTP(S)_PROXY rules and the trust store.</summary>
internal sealed class ProbeContext(TimeProvider time, DateTimeOffset deadline, HostResolver resolver, GoHttpProxy httpProxy, Lazy<TrustStore> trust)
{
    public TimeProvider Time => time;

    public DateTimeOffset Deadline => deadline;

    public HostResolver Resolver => resolver;

    public GoHttpProxy HttpProxy => httpProxy;

    public TrustStore Trust => trust.Value;

    public Action<string>? Progress { get; init; }

    /// <summary>Time left before the deadline, never negative.</summary>
    public TimeSpan Remaining
    {
        get
        {
            var r = deadline - time.GetUtcNow();
            return r > TimeSpan.Zero ? r : TimeSpan.Zero;
        }
    }

    public double ElapsedMs(long startTimestamp) => time.GetElapsedTime(startTimestamp).TotalMilliseconds;
}
