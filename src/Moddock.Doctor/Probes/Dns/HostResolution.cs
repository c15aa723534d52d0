using System.Net;

namespace Moddock.Doctor.Probes.Dns;

/// <summary>The result of resolving one host name the way Go's resolver would, with how it was found.</summary>
internal sealed record HostResolution(IReadOnlyList<IPAddress> Addresses, string? Cause, string Detail, string Via);
