using Moddock.Modules;

namespace Moddock.Proxy.Sources;

/// <summary>Stands in for direct mode (version control) until a real direct source is injected.</summary>
internal sealed class DirectUnavailableSource : IModuleSource
{
    internal const string Message = "direct mode is not available";

    public string Name => "direct";

    public Task<SourceResult<IReadOnlyList<string>>> ListAsync(ModulePath path, CancellationToken ct) => Task.FromResult(SourceResult<IReadOnlyList<string>>.Fail(SourceFailureKind.NotFound, Message, 404));

    public Task<SourceResult<VersionInfo>> InfoAsync(ModulePath path, string query, CancellationToken ct) => Task.FromResult(SourceResult<VersionInfo>.Fail(SourceFailureKind.NotFound, Message, 404));

    public Task<SourceResult<VersionInfo>> LatestAsync(ModulePath path, CancellationToken ct) => Task.FromResult(SourceResult<VersionInfo>.Fail(SourceFailureKind.NotFound, Message, 404));

    public Task<SourceResult<byte[]>> ModAsync(ModulePath path, ModuleVersion version, CancellationToken ct) => Task.FromResult(SourceResult<byte[]>.Fail(SourceFailureKind.NotFound, Message, 404));

    public Task<SourceResult<long>> ZipAsync(ModulePath path, ModuleVersion version, Stream destination, CancellationToken ct) => Task.FromResult(SourceResult<long>.Fail(SourceFailureKind.NotFound, Message, 404));
}
