using System.Net;

namespace Moddock.Doctor.Probes.Dns;

internal sealed record DnsAnswer(DnsOutcome Outcome, IReadOnlyList<IPAddress> Addresses, string Detail);
