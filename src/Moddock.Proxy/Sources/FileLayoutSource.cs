using System.Text;
using Moddock.Modules;

namespace Moddock.Proxy.Sources;

/// <summary>
/// A <c>file://</c> GOPROXY entry: a directory laid out like the proxy URL space (for example a
/// <c>$GOMODCACHE/cache/download</c> tree, or another Moddock's storage root). As in the go command, a
/// missing file is not found and an unreadable one is a 403-like error.
/// </summary>
internal sealed class FileLayoutSource(string root, string name) : IModuleSource
{
    public string Name => name;

    public async Task<SourceResult<IReadOnlyList<string>>> ListAsync(ModulePath path, CancellationToken ct)
    {
        var r = await ReadAsync(path, "@v/list", ct).ConfigureAwait(false);
        return r.IsSuccess
            ? SourceResult<IReadOnlyList<string>>.Ok(Encoding.UTF8.GetString(r.Value!).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList())
            : SourceResult<IReadOnlyList<string>>.Fail(r.Failure);
    }

    public async Task<SourceResult<VersionInfo>> InfoAsync(ModulePath path, string query, CancellationToken ct)
    {
        if (!ModuleVersion.TryParse(query, out var version, out _))
        {
            // A file tree cannot resolve branches or "v1.2": only files named by canonical versions exist.
            return SourceResult<VersionInfo>.Fail(SourceFailureKind.NotFound, $"{path}@{query}: not found in {name} (queries need a live proxy)", 404);
        }

        return Parse(await ReadAsync(path, "@v/" + version.Escaped + ".info", ct).ConfigureAwait(false));
    }

    public async Task<SourceResult<VersionInfo>> LatestAsync(ModulePath path, CancellationToken ct) =>
        Parse(await ReadAsync(path, "@latest", ct).ConfigureAwait(false));

    public Task<SourceResult<byte[]>> ModAsync(ModulePath path, ModuleVersion version, CancellationToken ct) =>
        ReadAsync(path, "@v/" + version.Escaped + ".mod", ct);

    public async Task<SourceResult<long>> ZipAsync(ModulePath path, ModuleVersion version, Stream destination, CancellationToken ct)
    {
        var file = FileFor(path, "@v/" + version.Escaped + ".zip");
        try
        {
            var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (source.ConfigureAwait(false))
            {
                (destination as Upstream.IAnnouncedLength)?.Announce(source.Length);
                await source.CopyToAsync(destination, 64 * 1024, ct).ConfigureAwait(false);
                return SourceResult<long>.Ok(source.Length);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return SourceResult<long>.Fail(Failure(e, path));
        }
    }

    private async Task<SourceResult<byte[]>> ReadAsync(ModulePath path, string tail, CancellationToken ct)
    {
        try
        {
            return SourceResult<byte[]>.Ok(await File.ReadAllBytesAsync(FileFor(path, tail), ct).ConfigureAwait(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return SourceResult<byte[]>.Fail(Failure(e, path));
        }
    }

    private SourceResult<VersionInfo> Parse(SourceResult<byte[]> r) =>
        !r.IsSuccess ? SourceResult<VersionInfo>.Fail(r.Failure)
        : VersionInfoJson.TryParse(r.Value, out var info, out var error) ? SourceResult<VersionInfo>.Ok(info!)
        : SourceResult<VersionInfo>.Fail(SourceFailureKind.Invalid, $"{name} holds an invalid .info: {error}");

    private SourceFailure Failure(Exception e, ModulePath path) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => new SourceFailure(SourceFailureKind.NotFound, $"{path}: not found in {name}", 404),
        UnauthorizedAccessException => new SourceFailure(SourceFailureKind.Status, $"{path}: permission denied in {name}", 403),
        _ => new SourceFailure(SourceFailureKind.Other, $"{path}: reading {name}: {e.Message}"),
    };

    // Escaped paths hold only [a-z0-9.-_~!/] and versions [a-z0-9.-+!]: no traversal is expressible.
    private string FileFor(ModulePath path, string tail) => Path.Combine(root, path.Escaped, tail);
}
