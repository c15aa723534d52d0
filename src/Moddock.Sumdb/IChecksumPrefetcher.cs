using Moddock.Modules;

namespace Moddock.Sumdb;

/// <summary>
/// Optional companion of <see cref="IChecksumVerifier"/>: starts the checksum-database lookup of M@V early (the
/// proxy calls it as a .mod or .zip download begins) so the round trip overlaps the download. It decides nothing;
/// <see cref="IChecksumVerifier.VerifyAsync"/> joins the lookup in flight or uses its cached result.
/// </summary>
public interface IChecksumPrefetcher
{
    Task PrefetchAsync(ModulePath path, ModuleVersion version, CancellationToken ct);
}
