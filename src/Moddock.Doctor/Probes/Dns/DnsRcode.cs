namespace Moddock.Doctor.Probes.Dns;

/// <summary>What one resolver said: an answer code, or that it could not be asked.</summary>
internal enum DnsOutcome
{
    Answer,
    NxDomain,
    ServFail,
    Refused,
    Timeout,
    Unreachable,
}
