using System.Net;

namespace Moddock.Doctor.Lint;

/// <summary>
/// A heuristic for "this module is probably not public": hosts under internal-only suffixes, corporate
/// Git hosts, IP addresses or ports, and Azure DevOps. Public forges (github.com, …) cannot be judged from
/// the path alone, so they never count.
/// </summary>
internal static class PrivateLooking
{
    private static readonly string[] Suffixes = [".local", ".internal", ".corp", ".lan", ".intranet", ".home.arpa", ".localdomain", ".private", ".example", ".test", ".invalid"];
    private static readonly string[] Prefixes = ["git.", "gitlab.", "ghe.", "github.", "bitbucket.", "gitea.", "code.", "scm.", "vcs.", "stash.", "dev."];
    private static readonly string[] PublicForges = ["github.com", "gitlab.com", "bitbucket.org", "golang.org", "google.golang.org", "gopkg.in", "go.uber.org", "k8s.io", "sigs.k8s.io", "cloud.google.com", "go.opentelemetry.io"];

    public static bool Is(string module, out string why)
    {
        var host = module.Split('/')[0].ToLowerInvariant();
        why = string.Empty;
        if (PublicForges.Contains(host))
        {
            return false;
        }

        if (host.Contains(':', StringComparison.Ordinal) || IPAddress.TryParse(host, out _) || host == "localhost")
        {
            why = "its host is an address or has a port";
            return true;
        }

        if (Suffixes.FirstOrDefault(s => host.EndsWith(s, StringComparison.Ordinal)) is { } suffix)
        {
            why = $"its host is under {suffix}";
            return true;
        }

        if (host.Contains("corp", StringComparison.Ordinal) || host.Contains("intra", StringComparison.Ordinal) || host.Contains("internal", StringComparison.Ordinal))
        {
            why = "its host name looks internal";
            return true;
        }

        if (host == "dev.azure.com" || host.EndsWith(".visualstudio.com", StringComparison.Ordinal))
        {
            why = "Azure DevOps repositories need credentials";
            return true;
        }

        if (Prefixes.FirstOrDefault(p => host.StartsWith(p, StringComparison.Ordinal)) is { } prefix)
        {
            why = $"a self-hosted {prefix.TrimEnd('.')} server";
            return true;
        }

        return false;
    }
}
