using Moddock.Modules;

namespace Moddock.Sumdb;

/// <summary>
/// One verifier for the proxy: private paths (the nosumdb predicate) go to the private log when there is one
/// (else Skipped), all others to the public database (else Skipped when --sumdb off).
/// </summary>
internal sealed class RoutingChecksumVerifier(IChecksumVerifier? publicVerifier, IChecksumVerifier? privateLog, Func<string, bool> isPrivate) : IChecksumVerifier, IChecksumPrefetcher
{
    /// <summary>Only the public database is warmed early; the private log records the h1 it is given, so it must wait for it.</summary>
    public Task PrefetchAsync(ModulePath path, ModuleVersion version, CancellationToken ct) =>
        !isPrivate(path.Value) && publicVerifier is IChecksumPrefetcher p ? p.PrefetchAsync(path, version, ct) : Task.CompletedTask;

    public Task<VerifyResult> VerifyAsync(ModulePath path, ModuleVersion version, string? zipH1, string? modH1, CancellationToken ct)
    {
        var target = isPrivate(path.Value) ? privateLog : publicVerifier;
        return target is null
            ? Task.FromResult(new VerifyResult(VerifyOutcome.Skipped, null, null, $"{path}@{version}: no checksum database for this path"))
            : target.VerifyAsync(path, version, zipH1, modH1, ct);
    }
}
