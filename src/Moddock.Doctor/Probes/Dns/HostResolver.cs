using System.Net;
using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Probes.Dns;

/// <summary>
/// Resolves a host like Go's pure resolver: IP literals as they are, /etc/hosts first, then A and AAAA
/// from each nameserver of resolv.conf in turn. Names under `.invalid` never resolve (RFC 6761 §6.4),
/// so no query leaves the machine for them.
/// </summary>
internal sealed class HostResolver(ResolvConf conf)
{
    public ResolvConf Conf => conf;

    public async Task<HostResolution> ResolveAsync(string host, TimeSpan budget, CancellationToken ct)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return new HostResolution([literal], null, "an IP address: no lookup", "literal");
        }

        var name = host.TrimEnd('.');
        if (name.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase) || name.Equals("invalid", StringComparison.OrdinalIgnoreCase))
        {
            return new HostResolution([], CauseIds.DnsNxdomain, $"lookup {name}: no such host (.invalid names never exist, RFC 6761)", "rfc6761");
        }

        var fromHosts = HostsFile.Lookup(name);
        if (fromHosts.Count > 0)
        {
            return new HostResolution(fromHosts, null, string.Join(", ", fromHosts), "/etc/hosts");
        }

        var perQuery = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(200).Ticks, Math.Min(conf.Timeout.Ticks, budget.Ticks / Math.Max(1, conf.Attempts))));
        var failures = new List<DnsAnswer>();
        foreach (var server in conf.Servers)
        {
            for (var attempt = 0; attempt < conf.Attempts; attempt++)
            {
                ct.ThrowIfCancellationRequested();
                var a = DnsQuery.AskAsync(server, name, DnsQuery.TypeA, perQuery, ct);
                var aaaa = DnsQuery.AskAsync(server, name, DnsQuery.TypeAaaa, perQuery, ct);
                var answers = await Task.WhenAll(a, aaaa).ConfigureAwait(false);
                if (answers.Any(x => x.Outcome == DnsOutcome.NxDomain))
                {
                    return new HostResolution([], CauseIds.DnsNxdomain, $"lookup {name} on {server}: no such host (NXDOMAIN)", server.ToString());
                }

                if (answers.All(x => x.Outcome == DnsOutcome.Answer))
                {
                    var addrs = answers.SelectMany(x => x.Addresses).ToList();
                    return addrs.Count > 0
                        ? new HostResolution(addrs, null, $"{string.Join(", ", addrs)} (A {answers[0].Addresses.Count}, AAAA {answers[1].Addresses.Count}) from {server}", server.ToString())
                        : new HostResolution([], CauseIds.DnsNxdomain, $"lookup {name} on {server}: no such host (no A or AAAA records)", server.ToString());
                }

                failures.AddRange(answers.Where(x => x.Outcome != DnsOutcome.Answer));
                if (answers.Any(x => x.Outcome is DnsOutcome.ServFail or DnsOutcome.Refused or DnsOutcome.Unreachable))
                {
                    break; // another attempt at the same server will not change its answer
                }

                if (budget <= perQuery * (attempt + 1))
                {
                    break;
                }
            }
        }

        var servers = string.Join(", ", conf.Servers);
        if (failures.Any(f => f.Outcome is DnsOutcome.ServFail or DnsOutcome.Refused))
        {
            return new HostResolution([], CauseIds.DnsServfail, $"lookup {name}: server misbehaving ({failures.First(f => f.Outcome is DnsOutcome.ServFail or DnsOutcome.Refused).Detail})", servers);
        }

        if (failures.Count > 0 && failures.All(f => f.Outcome == DnsOutcome.Unreachable))
        {
            return new HostResolution([], CauseIds.DnsUnavailable, $"lookup {name}: no resolver reachable ({failures[0].Detail}); resolvers: {servers} from {conf.Source}", servers);
        }

        return new HostResolution([], CauseIds.DnsTimeout, $"lookup {name}: i/o timeout, no answer from {servers} ({conf.Source})", servers);
    }
}
