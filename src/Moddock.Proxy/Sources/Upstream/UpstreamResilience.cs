using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Moddock.Proxy.Sources.Upstream;

/// <summary>
/// The Polly pipeline around every request to one upstream: a circuit breaker (outer) over retries (inner).
/// The breaker counts requests, not attempts, so one request's retries cannot trip it; once open, it
/// answers at once without touching the network.
/// </summary>
internal static class UpstreamResilience
{
    public static ResiliencePipeline<UpstreamAttempt> Build(
        UpstreamOptions options,
        bool hasFallback,
        TimeProvider time,
        Func<double> random,
        CircuitBreakerStateProvider state,
        Action<UpstreamAttempt, int, TimeSpan> onRetry)
    {
        var builder = new ResiliencePipelineBuilder<UpstreamAttempt> { TimeProvider = time };
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<UpstreamAttempt>
        {
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = Math.Max(2, options.BreakerMinimumThroughput),
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakerBreakDuration,
            StateProvider = state,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Class: not FailureClass.None }),
        });
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<UpstreamAttempt>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { } r && ShouldRetry(r.Class, hasFallback)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(FullJitter(options, args.AttemptNumber, random)),
                OnRetry = args =>
                {
                    onRetry(args.Outcome.Result!, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    /// <summary>
    /// Fast transient failures are retried. A refused connection is retried only when there is no <c>|</c>
    /// alternative to move on to; timeouts and TLS failures never are (each retry would cost a full timeout).
    /// </summary>
    internal static bool ShouldRetry(FailureClass cls, bool hasFallback) =>
        cls == FailureClass.Transient || (cls == FailureClass.Unreachable && !hasFallback);

    /// <summary>"Full jitter" backoff: uniform in [0, min(cap, base·2^attempt)].</summary>
    internal static TimeSpan FullJitter(UpstreamOptions options, int attempt, Func<double> random)
    {
        var ceiling = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        ceiling = Math.Min(ceiling, options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(random() * ceiling);
    }
}
