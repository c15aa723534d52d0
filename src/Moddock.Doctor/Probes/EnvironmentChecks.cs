using Moddock.Doctor.Probes.Dns;
using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Probes;

/// <summary>This machine: a container or not, which resolvers it uses, and whether any CA certificates are installed.</summary>
internal static class EnvironmentChecks
{
    public static List<DoctorCheck> Check(ResolvConf resolv, ProbeContext ctx, bool needsTls)
    {
        var checks = new List<DoctorCheck>();
        var container = File.Exists("/.dockerenv") ? "Docker (/.dockerenv)" : File.Exists("/run/.containerenv") ? "Podman (/run/.containerenv)" : null;
        checks.Add(DoctorCheck.Ok("container", container, container is null ? "not in a container" : "running in " + container + "; its DNS and CA bundle come from the image", 0, Where.Local));

        var servers = string.Join(", ", resolv.Servers);
        checks.Add(resolv.Missing
            ? new DoctorCheck("resolver", resolv.Source, Where.Local, CheckStatus.Warn, null, $"{resolv.Source} is missing: Go falls back to {servers}", "echo 'nameserver 1.1.1.1' | sudo tee /etc/resolv.conf", 0)
            : DoctorCheck.Ok("resolver", resolv.Source, "nameservers " + servers + (resolv.Servers.Any(s => s.Address.ToString() == "127.0.0.11") ? " (Docker's embedded DNS)" : string.Empty), 0, Where.Local));

        if (needsTls)
        {
            var trust = ctx.Trust;
            checks.Add(trust.Roots.Count == 0
                ? new DoctorCheck("CA certificates", null, Where.Local, CheckStatus.Fail, CauseIds.TlsUnknownAuthority, "no CA certificates found (SSL_CERT_FILE, /etc/ssl/certs …): every https request will fail with x509: certificate signed by unknown authority",
                    FixSuggestions.For(CauseIds.TlsUnknownAuthority, Where.Local, FixContext.None), 0)
                : DoctorCheck.Ok("CA certificates", null, $"{trust.Roots.Count} trusted roots from {string.Join(", ", trust.Sources)}", 0, Where.Local));
        }

        return checks;
    }
}
