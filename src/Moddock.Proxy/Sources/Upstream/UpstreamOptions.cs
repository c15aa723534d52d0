using System.Net;

namespace Moddock.Proxy.Sources.Upstream;

/// <summary>How Moddock talks to each upstream proxy. Every default is documented on its property.</summary>
public sealed class UpstreamOptions
{
    /// <summary>TCP (and TLS) connect timeout. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>From sending the request to the response headers. Default 15 s.</summary>
    public TimeSpan FirstByteTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest pause between two reads of a response body. Default 60 s.</summary>
    public TimeSpan BodyIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts per request on fast transient failures (reset, 502/503/504, short body). Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Base of the exponential backoff; attempt n waits a uniform random time in [0, min(max, base·2ⁿ)] ("full jitter"). Default 200 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Cap of the backoff. Default 3 s.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Circuit breaker: share of failed requests in the sampling window that opens it. Default 0.5.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Circuit breaker: requests needed in the window before it may open. Default 2 (Polly's minimum).</summary>
    public int BreakerMinimumThroughput { get; set; } = 2;

    /// <summary>Circuit breaker: the sampling window. Default 30 s.</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Circuit breaker: how long an open circuit skips the upstream before one probe request. Default 15 s.</summary>
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Forward proxy for upstream traffic. Null (the default) means <see cref="System.Net.Http.HttpClient.DefaultProxy"/>,
    /// which on Linux reads HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY from the environment.
    /// </summary>
    public IWebProxy? Proxy { get; set; }

    /// <summary>Largest list/.info/.mod body accepted. Default 16 MiB (the go command's go.mod cap).</summary>
    public long MaxMetadataBytes { get; set; } = 16L << 20;

    /// <summary>Largest zip accepted. Default 500 MiB (the go command's module zip cap).</summary>
    public long MaxZipBytes { get; set; } = 500L << 20;
}
