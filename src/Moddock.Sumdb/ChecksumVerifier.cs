using Microsoft.Extensions.Logging;
using Moddock.Modules;
using Moddock.Sumdb.Client;

namespace Moddock.Sumdb;

/// <summary>
/// Checks downloaded h1: hashes against a checksum database through <see cref="SumdbClient"/>.
/// Skipped for paths the nosumdb predicate matches (GONOSUMDB semantics, e.g. PathPatterns.Matches);
/// Unavailable when the database cannot be reached or answers inconsistently — the proxy decides policy.
/// </summary>
internal sealed class ChecksumVerifier(SumdbClient client, Func<string, bool> noSumdb, ILogger logger) : IChecksumVerifier, IChecksumPrefetcher
{
    /// <summary>Looks M@V up now; the client shares the lookup in flight and caches an authenticated answer.</summary>
    public Task PrefetchAsync(ModulePath path, ModuleVersion version, CancellationToken ct) =>
        noSumdb(path.Value) ? Task.CompletedTask : client.LookupAsync(path.Value, version.Value, ct);

    public async Task<VerifyResult> VerifyAsync(ModulePath path, ModuleVersion version, string? zipH1, string? modH1, CancellationToken ct)
    {
        if (noSumdb(path.Value))
        {
            return new VerifyResult(VerifyOutcome.Skipped, null, null, $"{path}@{version}: skipped (matches the nosumdb patterns)");
        }

        var lookup = await client.LookupAsync(path.Value, version.Value, ct).ConfigureAwait(false);
        switch (lookup.Outcome)
        {
            case LookupOutcome.NotFound:
                // The usual cause is a private module the operator has not listed: say how to list it.
                return new VerifyResult(VerifyOutcome.NotFound, null, null, $"verifying {path}@{version}: not found in checksum database {client.Name}: {lookup.Reason}" +
                    " (a private module must be listed in --private or --nosumdb)");
            case LookupOutcome.Unavailable:
            case LookupOutcome.Invalid:
                return new VerifyResult(VerifyOutcome.Unavailable, null, null, $"verifying {path}@{version}: checksum database {client.Name}: {lookup.Reason}");
            case LookupOutcome.SecurityError:
                return new VerifyResult(VerifyOutcome.Unavailable, null, null, $"verifying {path}@{version}: {lookup.Reason}");
        }

        var zipWant = Hash(lookup.Lines, $"{path} {version} ");
        var modWant = Hash(lookup.Lines, $"{path} {version}/go.mod ");
        if (modH1 is not null && modWant is not null && modWant != modH1)
        {
            return Mismatch(path, version + "/go.mod", modWant, modH1);
        }

        if (zipH1 is not null && zipWant is not null && zipWant != zipH1)
        {
            return Mismatch(path, version.Value, zipWant, zipH1);
        }

        if ((zipH1 is not null && zipWant is null) || (modH1 is not null && modWant is null))
        {
            return new VerifyResult(VerifyOutcome.NotFound, null, null, $"verifying {path}@{version}: checksum database {client.Name} has no matching go.sum line");
        }

        return new VerifyResult(VerifyOutcome.Verified, zipWant ?? modWant, zipH1 ?? modH1, null);
    }

    private VerifyResult Mismatch(ModulePath path, string version, string expected, string actual)
    {
        SumdbLog.Mismatch(logger, path.Value, version, expected, actual);
        return new VerifyResult(VerifyOutcome.Mismatch, expected, actual,
            $"verifying {path}@{version}: checksum mismatch\n\tdownloaded: {actual}\n\t{client.Name}: {expected}\n\nSECURITY ERROR\nThis download does NOT match the one reported by the checksum server.");
    }

    // The h1: field of the go.sum line with this prefix ("M V h1:..." → "h1:...").
    private static string? Hash(IReadOnlyList<string> lines, string prefix) =>
        lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line ? line[prefix.Length..].Trim() : null;
}
