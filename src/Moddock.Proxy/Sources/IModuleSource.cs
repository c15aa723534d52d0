using Moddock.Modules;

namespace Moddock.Proxy.Sources;

/// <summary>One place modules come from: an upstream proxy, or version control (direct).</summary>
public interface IModuleSource
{
    /// <summary>For logs and the per-request line; a URL here has its userinfo redacted.</summary>
    string Name { get; }

    Task<SourceResult<IReadOnlyList<string>>> ListAsync(ModulePath path, CancellationToken ct);

    Task<SourceResult<VersionInfo>> InfoAsync(ModulePath path, string query, CancellationToken ct);

    Task<SourceResult<VersionInfo>> LatestAsync(ModulePath path, CancellationToken ct);

    Task<SourceResult<byte[]>> ModAsync(ModulePath path, ModuleVersion version, CancellationToken ct);

    /// <summary>
    /// Copies the zip to <paramref name="destination"/> (a seekable temp file the caller owns) while it is fetched.
    /// A source that retries rewinds it with <c>SetLength(0)</c> first. Returns the number of bytes written.
    /// </summary>
    Task<SourceResult<long>> ZipAsync(ModulePath path, ModuleVersion version, Stream destination, CancellationToken ct);
}
