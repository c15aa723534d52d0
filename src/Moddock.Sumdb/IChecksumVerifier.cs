using Moddock.Modules;

namespace Moddock.Sumdb;

/// <summary>Checks fetched hashes against a checksum database; used by Moddock.Proxy before anything is stored.</summary>
public interface IChecksumVerifier
{
    /// <param name="zipH1">h1 of the module zip (go.sum line <c>M V h1:…</c>), or null when checking only the go.mod.</param>
    /// <param name="modH1">h1 of the go.mod (go.sum line <c>M V/go.mod h1:…</c>), or null when checking only the zip.</param>
    Task<VerifyResult> VerifyAsync(ModulePath path, ModuleVersion version, string? zipH1, string? modH1, CancellationToken ct);
}
