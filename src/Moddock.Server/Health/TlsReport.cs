using Moddock.Server.Hosting;

namespace Moddock.Server.Health;

/// <summary>
/// /readyz's TLS state: on or off, and for the certificate being served its subject, expiry and days left,
/// so monitoring can alert before clients start failing. Public facts only: nothing from the key.
/// </summary>
internal sealed record TlsReport(bool Enabled, string? Subject = null, DateTimeOffset? NotAfter = null, int? DaysLeft = null, bool? Expired = null)
{
    public static TlsReport Of(TlsCertificateSource source, DateTimeOffset now) =>
        source.Current is { } c
            ? new TlsReport(true, c.Subject, c.NotAfter, (int)Math.Floor((c.NotAfter - now).TotalDays), now > c.NotAfter)
            : new TlsReport(false);
}
