using Moddock.Modules;

namespace Moddock.Sumdb;

/// <summary>Used by Moddock.Proxy before anything is stored. The proxy decides what to do with each outcome.</summary>
public interface IChecksumVerifier
{
    Task<VerifyResult> VerifyAsync(ModulePath path, ModuleVersion version, string? zipH1, string? modH1, CancellationToken ct);
}
