using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moddock.Modules;
using Moddock.Proxy.Sources.Git.Versions;

namespace Moddock.Proxy.Sources.Git;

/// <summary>
/// Direct mode: modules built straight from git with the git CLI and persistent mirrors, no Go
/// toolchain, with the versions, go.mod bytes and zip contents `GOPROXY=direct go mod download`
/// produces. This is the one place where the git layer's expected failures become SourceFailure values.
/// </summary>
public sealed partial class DirectSource : IModuleSource, IDisposable
{
    private readonly DirectFetcher _fetcher;
    private readonly HttpClient _http;
    private readonly ILogger _log;

    public DirectSource(DirectSourceOptions options, TimeProvider? time = null, HttpMessageHandler? httpHandler = null, ILogger<DirectSource>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = httpHandler is null ? new HttpClient() : new HttpClient(httpHandler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _log = (ILogger?)logger ?? NullLogger.Instance;
        _fetcher = new DirectFetcher(options, _http, time ?? TimeProvider.System);
    }

    public string Name => "direct";

    /// <summary>git processes this source has started (bench/direct reports them per fetch).</summary>
    internal long GitProcessesStarted => _fetcher.Git.ProcessesStarted;

    public Task<SourceResult<IReadOnlyList<string>>> ListAsync(ModulePath path, CancellationToken ct) =>
        RunAsync(path, "list", () => _fetcher.ListAsync(path.Value, ct));

    public Task<SourceResult<VersionInfo>> InfoAsync(ModulePath path, string query, CancellationToken ct) =>
        RunAsync(path, query, async () => ToVersionInfo(await _fetcher.InfoAsync(path.Value, query, ct).ConfigureAwait(false)));

    public Task<SourceResult<VersionInfo>> LatestAsync(ModulePath path, CancellationToken ct) =>
        RunAsync(path, "latest", async () => ToVersionInfo(await _fetcher.LatestAsync(path.Value, ct).ConfigureAwait(false)));

    public Task<SourceResult<byte[]>> ModAsync(ModulePath path, ModuleVersion version, CancellationToken ct) =>
        RunAsync(path, version.Value, () => _fetcher.ModAsync(path.Value, version.Value, ct));

    public Task<SourceResult<long>> ZipAsync(ModulePath path, ModuleVersion version, Stream destination, CancellationToken ct) =>
        RunAsync(path, version.Value, () => _fetcher.ZipAsync(path.Value, version.Value, destination, ct));

    public void Dispose()
    {
        _fetcher.Dispose();
        _http.Dispose();
    }

    /// <summary>The .info JSON cmd/go writes: {"Version":…,"Time":…} with an RFC 3339 UTC time.</summary>
    internal static string InfoJson(string version, DateTimeOffset time) =>
        JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["Version"] = version,
            ["Time"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        });

    private static VersionInfo ToVersionInfo((RevInfo? Info, string? RawJson) r)
    {
        if (r.Info is { } info)
        {
            return new VersionInfo(info.Version, info.Time, InfoJson(info.Version, info.Time));
        }

        // Handed off to a GOPROXY by a `mod` go-import tag: serve its bytes unchanged.
        using var doc = JsonDocument.Parse(r.RawJson!);
        var version = doc.RootElement.TryGetProperty("Version", out var v) ? v.GetString() : null;
        if (string.IsNullOrEmpty(version))
        {
            throw new DirectFailureException(DirectFailureKind.Invalid, "mod proxy answered .info without a Version");
        }

        DateTimeOffset? time = doc.RootElement.TryGetProperty("Time", out var t) && t.TryGetDateTimeOffset(out var parsed) ? parsed : null;
        return new VersionInfo(version, time, r.RawJson!);
    }

    private async Task<SourceResult<T>> RunAsync<T>(ModulePath path, string what, Func<Task<T>> work)
    {
        try
        {
            return SourceResult<T>.Ok(await work().ConfigureAwait(false));
        }
        catch (DirectFailureException e)
        {
            var kind = e.Kind switch
            {
                DirectFailureKind.NotFound => SourceFailureKind.NotFound,
                DirectFailureKind.AuthRequired => SourceFailureKind.AuthRequired,
                DirectFailureKind.Timeout => SourceFailureKind.Timeout,
                DirectFailureKind.Invalid or DirectFailureKind.TooLarge => SourceFailureKind.Invalid,
                _ => SourceFailureKind.Other,
            };
            var reason = _fetcher.Credentials.Redactor.Redact(e.Message);
            LogFailure(_log, path.Value, what, kind, reason);
            return SourceResult<T>.Fail(kind, reason, kind == SourceFailureKind.NotFound ? 404 : null);
        }
        catch (InvalidDataException e)
        {
            // Malformed data from git or a mod proxy that no layer below turned into a failure value:
            // a bad upstream answer, never a server error.
            var reason = _fetcher.Credentials.Redactor.Redact(e.Message);
            LogFailure(_log, path.Value, what, SourceFailureKind.Invalid, reason);
            return SourceResult<T>.Fail(SourceFailureKind.Invalid, "direct: malformed data: " + reason);
        }
        catch (JsonException e)
        {
            return SourceResult<T>.Fail(SourceFailureKind.Invalid, "invalid .info JSON from mod proxy: " + e.Message);
        }
        catch (IOException e)
        {
            var reason = _fetcher.Credentials.Redactor.Redact(e.Message);
            LogFailure(_log, path.Value, what, SourceFailureKind.Other, reason);
            return SourceResult<T>.Fail(SourceFailureKind.Other, "direct: " + reason);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "direct {Path}@{What}: {Kind}: {Reason}")]
    private static partial void LogFailure(ILogger logger, string path, string what, SourceFailureKind kind, string reason);
}
