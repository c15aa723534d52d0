using Moddock.Modules;
using Moddock.Modules.Zip;
using Moddock.Proxy.Sources;
using Moddock.Sumdb;

namespace Moddock.Proxy.Verification;

/// <summary>
/// Nothing is stored until it checks out: the .info names the version asked for, the go.mod parses and
/// names the module, the zip passes the module zip checks (x/mod zip.CheckZip), and the checksum database
/// (when configured, and not for GONOSUMDB/GOPRIVATE paths) has the same h1.
/// </summary>
internal sealed class ArtifactVerifier(IChecksumVerifier? checksums, Func<ModulePath, bool> skipChecksum)
{
    /// <summary>
    /// A canonical request must be answered with exactly that version (the go command rejects anything else);
    /// a query's answer must be a canonical version whose major fits the path (module.Check).
    /// </summary>
    public static VerificationFailure? CheckInfo(ModulePath path, ModuleVersion? requested, VersionInfo info, string source, out ModuleVersion resolved)
    {
        resolved = default;
        if (!ModuleVersion.TryParse(info.Version, out resolved, out var error))
        {
            return VerificationFailure.Refused($"{source} resolved {path} to {info.Version}, which is not a canonical version: {error?.Message}");
        }

        if (requested is { } want && resolved != want)
        {
            return VerificationFailure.Refused($"{source} answered {path}@{want}.info with version {info.Version}; refusing a .info that does not match the version asked for");
        }

        if (ModulePathChecks.Check(path.Value, resolved.Value) is { } bad)
        {
            return VerificationFailure.Refused($"{source} resolved {path} to {resolved}: {bad.Message}");
        }

        return null;
    }

    /// <summary>
    /// Warms the checksum database's answer for M@V without waiting for it (when the verifier can, and the path
    /// is checked at all). It decides nothing: <see cref="CheckModSumAsync"/>/<see cref="CheckZipSumAsync"/> still
    /// compare the downloaded h1 before anything is stored or served, and share this lookup or its result.
    /// </summary>
    public void StartLookup(ModulePath path, ModuleVersion version)
    {
        if (checksums is IChecksumPrefetcher prefetcher && !skipChecksum(path))
        {
            _ = prefetcher.PrefetchAsync(path, version, CancellationToken.None).ContinueWith(
                static t => _ = t.Exception,
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>The checksum database's check of a go.mod that already passed <see cref="CheckModFile"/>.</summary>
    public async Task<VerificationFailure?> CheckModSumAsync(ModulePath path, ModuleVersion version, byte[] mod, string source, CancellationToken ct) =>
        checksums is null || skipChecksum(path)
            ? null
            : await CheckSumAsync(path, version, null, DirHash.HashGoMod(mod), source, ct).ConfigureAwait(false);

    /// <summary>What a go.mod alone must satisfy: it parses and names the module asked for.</summary>
    public static VerificationFailure? CheckModFile(ModulePath path, ModuleVersion version, byte[] mod, string source)
    {
        if (!GoModFile.TryParse(mod, out var file, out var error))
        {
            return VerificationFailure.Refused($"go.mod of {path}@{version} from {source} does not parse: {error?.Message}");
        }

        return file!.ModulePath != path.Value
            ? VerificationFailure.Refused($"go.mod of {path}@{version} from {source} declares module {file.ModulePath ?? "(none)"}, not {path}")
            : null;
    }

    /// <summary>What a zip alone must satisfy: golang.org/x/mod/zip's checks for this module and version.</summary>
    public static VerificationFailure? CheckZipFile(ModulePath path, ModuleVersion version, string zipFile, string source) =>
        ModuleZip.CheckZip(zipFile, path.Value, version.Value) is { } error
            ? VerificationFailure.Refused($"zip of {path}@{version} from {source} fails the module zip checks: {WithoutFileName(error.Message, zipFile)}")
            : null;

    /// <summary>The checksum database's check of a zip that already passed <see cref="CheckZipFile"/>.</summary>
    public async Task<VerificationFailure?> CheckZipSumAsync(ModulePath path, ModuleVersion version, string zipFile, string source, CancellationToken ct)
    {
        if (checksums is null || skipChecksum(path))
        {
            return null;
        }

        string h1;
        try
        {
            h1 = DirHash.HashZip(zipFile);
        }
        catch (ModuleException e)
        {
            return VerificationFailure.Refused($"zip of {path}@{version} from {source} cannot be hashed: {WithoutFileName(e.Message, zipFile)}");
        }

        return await CheckSumAsync(path, version, h1, null, source, ct).ConfigureAwait(false);
    }

    // Reasons go to the client: the zip checks name the store's temporary file, which says nothing to it.
    private static string WithoutFileName(string message, string zipFile) =>
        message.Replace(zipFile + ": ", "", StringComparison.Ordinal).Replace(zipFile, "the zip", StringComparison.Ordinal);

    private async Task<VerificationFailure?> CheckSumAsync(ModulePath path, ModuleVersion version, string? zipH1, string? modH1, string source, CancellationToken ct)
    {
        if (checksums is null || skipChecksum(path))
        {
            return null;
        }

        var what = zipH1 is null ? $"{path} {version}/go.mod" : $"{path} {version}";
        var r = await checksums.VerifyAsync(path, version, zipH1, modH1, ct).ConfigureAwait(false);
        return r.Outcome switch
        {
            VerifyOutcome.Verified or VerifyOutcome.Skipped => null,
            VerifyOutcome.Mismatch => VerificationFailure.Refused(
                $"SECURITY ERROR: checksum mismatch for {what} from {source}: checksum database has {r.Expected ?? "?"}, downloaded {r.Actual ?? zipH1 ?? modH1}"),
            VerifyOutcome.NotFound => VerificationFailure.Refused($"checksum database has no entry for {what}: {r.Reason}"),
            _ => new VerificationFailure(ResolveOutcome.UpstreamFailed, $"cannot verify {what}: checksum database unavailable: {r.Reason}"),
        };
    }
}
