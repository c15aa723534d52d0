namespace Moddock.Doctor.Probes.Tls;

/// <summary>What Go's x509 verification would say about a server's chain: null cause means trusted.</summary>
internal sealed record CertificateVerdict(string? Cause, string Detail, string Subject, string Issuer, DateTimeOffset NotBefore, DateTimeOffset NotAfter);
