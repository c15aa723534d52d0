using Moddock.Modules;
using Moddock.Proxy.Sources;

namespace Moddock.Proxy.Tests.Support;

/// <summary>An in-memory module source that counts calls and can fail or hold its answers on demand.</summary>
internal sealed class FakeSource(string name, params TestModule[] modules) : IModuleSource
{
    private int _calls;
    private int _zipCalls;

    public string Name => name;

    public int Calls => Volatile.Read(ref _calls);

    public int ZipCalls => Volatile.Read(ref _zipCalls);

    /// <summary>Every .info/.mod/.zip asked of this source, as "kind path@version", in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>When set, every call fails with this.</summary>
    public SourceFailure? FailWith { get; set; }

    /// <summary>When set, zips wait for it after writing their first half.</summary>
    public TaskCompletionSource? ZipGate { get; set; }

    /// <summary>When set, .info answers carry this version instead of the real one (a tampered upstream).</summary>
    public string? InfoVersionOverride { get; set; }

    /// <summary>Announce the zip's length before writing it, as an HTTP upstream with Content-Length does.</summary>
    public bool AnnounceLength { get; set; }

    /// <summary>When set, zip answers are these bytes.</summary>
    public byte[]? ZipOverride { get; set; }

    public List<TestModule> Modules { get; } = [.. modules];

    public Task<SourceResult<IReadOnlyList<string>>> ListAsync(ModulePath path, CancellationToken ct)
    {
        Interlocked.Increment(ref _calls);
        if (FailWith is { } f)
        {
            return Task.FromResult(SourceResult<IReadOnlyList<string>>.Fail(f));
        }

        var versions = Modules.Where(m => m.Path == path).Select(m => m.Version.Value).ToList();
        return Task.FromResult(versions.Count == 0
            ? SourceResult<IReadOnlyList<string>>.Fail(NotFound(path))
            : SourceResult<IReadOnlyList<string>>.Ok(versions));
    }

    public Task<SourceResult<VersionInfo>> InfoAsync(ModulePath path, string query, CancellationToken ct)
    {
        Interlocked.Increment(ref _calls);
        Requests.Enqueue($"info {path}@{query}");
        if (FailWith is { } f)
        {
            return Task.FromResult(SourceResult<VersionInfo>.Fail(f));
        }

        // "v1.2"-style queries resolve to the highest matching version; a branch name "main" to the highest of all.
        var m = Modules.Where(m => m.Path == path && (m.Version.Value == query || query == "main" || m.Version.Value.StartsWith(query + ".", StringComparison.Ordinal)))
            .OrderBy(m => m.Version, Comparer<ModuleVersion>.Create(Semver.CompareValues)).LastOrDefault();
        return Task.FromResult(m is null ? SourceResult<VersionInfo>.Fail(NotFound(path)) : SourceResult<VersionInfo>.Ok(Info(m)));
    }

    public Task<SourceResult<VersionInfo>> LatestAsync(ModulePath path, CancellationToken ct) => InfoAsync(path, "main", ct);

    public Task<SourceResult<byte[]>> ModAsync(ModulePath path, ModuleVersion version, CancellationToken ct)
    {
        Interlocked.Increment(ref _calls);
        Requests.Enqueue($"mod {path}@{version}");
        if (FailWith is { } f)
        {
            return Task.FromResult(SourceResult<byte[]>.Fail(f));
        }

        var m = Find(path, version);
        return Task.FromResult(m is null ? SourceResult<byte[]>.Fail(NotFound(path)) : SourceResult<byte[]>.Ok(m.Mod));
    }

    public async Task<SourceResult<long>> ZipAsync(ModulePath path, ModuleVersion version, Stream destination, CancellationToken ct)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Increment(ref _zipCalls);
        Requests.Enqueue($"zip {path}@{version}");
        if (FailWith is { } f)
        {
            return SourceResult<long>.Fail(f);
        }

        var m = Find(path, version);
        if (m is null)
        {
            return SourceResult<long>.Fail(NotFound(path));
        }

        var zip = ZipOverride ?? m.Zip;
        if (AnnounceLength)
        {
            (destination as Proxy.Sources.Upstream.IAnnouncedLength)?.Announce(zip.Length);
        }

        var half = zip.Length / 2;
        await destination.WriteAsync(zip.AsMemory(0, half), ct);
        if (ZipGate is { } gate)
        {
            await gate.Task.WaitAsync(ct);
        }

        await destination.WriteAsync(zip.AsMemory(half), ct);
        return SourceResult<long>.Ok(zip.Length);
    }

    private TestModule? Find(ModulePath path, ModuleVersion version) => Modules.FirstOrDefault(m => m.Path == path && m.Version == version);

    private VersionInfo Info(TestModule m)
    {
        var version = InfoVersionOverride ?? m.Version.Value;
        return new VersionInfo(version, null, m.Info.Replace(m.Version.Value, version, StringComparison.Ordinal));
    }

    private SourceFailure NotFound(ModulePath path) => new(SourceFailureKind.NotFound, $"{name}: {path}: not found", 404);
}
