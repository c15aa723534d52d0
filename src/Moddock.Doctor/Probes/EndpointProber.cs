using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Probes;

/// <summary>Walks one endpoint down its layers (DNS, TCP, CONNECT, TLS) and then makes its protocol request.</summary>
internal static class EndpointProber
{
    public static async Task<(List<DoctorCheck> Checks, HttpLayer.HttpOutcome? Http)> ProbeAsync(ProbeTarget target, ProbeContext ctx, CancellationToken ct)
    {
        var checks = new List<DoctorCheck>();
        var (ok, stream) = await NetworkLayers.ConnectAsync(target, ctx, checks, ct).ConfigureAwait(false);
        if (stream is not null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        if (!ok || target.RequestPath is null)
        {
            return (checks, null);
        }

        var url = new Uri(target.BaseUrl.ToString().TrimEnd('/') + "/" + target.RequestPath);
        var http = await HttpLayer.GetAsync(target, url, ctx, ct).ConfigureAwait(false);
        checks.Add(http.Check);
        return (checks, http);
    }

    /// <summary>The clock check: Go verifies certificates against the local clock, so skew shows up as "expired".</summary>
    public static DoctorCheck? Clock(DateTimeOffset? serverDate, string host, ProbeContext ctx)
    {
        if (serverDate is not { } date)
        {
            return null;
        }

        var skew = ctx.Time.GetUtcNow() - date;
        if (skew.Duration() > TimeSpan.FromMinutes(5))
        {
            return new DoctorCheck("clock", host, Where.Local, CheckStatus.Warn, CauseIds.TlsExpired,
                $"local clock differs from {host}'s Date header by {HttpLayer.FormatSkew(skew)}: certificates will look expired or not yet valid",
                FixSuggestions.For(CauseIds.TlsExpired, Where.Local, FixContext.None), 0);
        }

        return DoctorCheck.Ok("clock", host, $"within {HttpLayer.FormatSkew(skew)} of {host}'s Date header", 0, Where.Local);
    }
}
