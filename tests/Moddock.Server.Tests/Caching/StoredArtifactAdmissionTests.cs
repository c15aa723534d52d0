using System.Text;
using Moddock.Modules;
using Moddock.Modules.Zip;
using Moddock.Proxy;
using Moddock.Proxy.Storage;
using Moddock.Server.Caching;
using Moddock.Testing;

namespace Moddock.Server.Tests.Caching;

public sealed class StoredArtifactAdmissionTests
{
    private const string Module = "example.com/Upper/m";
    private const string Version = "v1.0.0-Rc.1";

    /// <summary>A file:// GOPROXY tree with one module version (escaped as the protocol wants), and its zip.</summary>
    private static (string Url, byte[] Mod, byte[] Zip, byte[] Info) Upstream()
    {
        var root = TestEnvironment.NewTempDir("admission-upstream");
        var mod = Encoding.UTF8.GetBytes($"module {Module}\n\ngo 1.19\n");
        var info = Encoding.UTF8.GetBytes($"{{\"Version\":\"{Version}\",\"Time\":\"2024-01-02T03:04:05Z\"}}");
        using var zip = new MemoryStream();
        var files = new Dictionary<string, byte[]> { ["go.mod"] = mod, ["m.go"] = "package m\n"u8.ToArray() };
        Assert.Null(ModuleZip.Create(zip, Module, Version, files.Select(f => new ZipSourceFile(f.Key, f.Value.Length, () => new MemoryStream(f.Value)))));
        var dir = Path.Combine(root, ModulePath.Parse(Module).Escaped, "@v");
        Directory.CreateDirectory(dir);
        var v = ModuleVersion.Parse(Version).Escaped;
        File.WriteAllText(Path.Combine(dir, "list"), Version + "\n");
        File.WriteAllBytes(Path.Combine(dir, v + ".info"), info);
        File.WriteAllBytes(Path.Combine(dir, v + ".mod"), mod);
        File.WriteAllBytes(Path.Combine(dir, v + ".zip"), zip.ToArray());
        return ("file://" + root, mod, zip.ToArray(), info);
    }

    private static ModuleProxy Proxy(string url, PrefetchKinds prefetch = PrefetchKinds.None)
    {
        var options = new ModuleProxyOptions { Upstreams = [new ProxyEntry(ProxyEntryKind.Url, url, false)] };
        options.Storage.Root = TestEnvironment.NewTempDir("admission-store");
        options.Resolver.Prefetch = prefetch;
        return ModuleProxy.Create(options);
    }

    [Fact]
    public void Admit_StoredAgainWhileAnOlderEntryIsCached_TheNewCopyReplacesIt()
    {
        // The store commits an immutable artifact again only when it replaced its copy (damage found and fetched
        // again, or another process's copy): an entry kept from before must not go on answering in its place.
        var dir = TestEnvironment.NewTempDir("admission-replace");
        var memory = new MemoryArtifactCache(1 << 20);
        var admission = new StoredArtifactAdmission(memory);
        var key = StoreKey.ForVersion(ModulePath.Parse(Module), ArtifactKind.Zip, ModuleVersion.Parse(Version));
        StoredArtifact Stored(string name, byte[] bytes)
        {
            var path = Path.Combine(dir, name);
            File.WriteAllBytes(path, bytes);
            return new StoredArtifact(key, path, bytes.Length, DateTimeOffset.UnixEpoch, _ => File.OpenRead(path));
        }

        admission.Admit(Stored("first.zip", new byte[100]));
        var target = StoredArtifactAdmission.TargetFor(key);
        Assert.True(memory.TryGet(target, out var first));
        admission.Admit(Stored("second.zip", new byte[200]));

        Assert.True(memory.TryGet(target, out var second));
        Assert.NotSame(first, second);
        Assert.Equal(200, second.Length);
        Assert.Equal(1, memory.FileCount);
        Assert.True(first.File!.SafeFileHandle.IsClosed);
    }

    [Fact]
    public async Task Admit_InfoReadAheadThenAskedFromMemory_TheZipIsReadAheadOnce()
    {
        var (url, _, zip, _) = Upstream();
        using var proxy = Proxy(url, PrefetchKinds.Infos | PrefetchKinds.Zips);
        var memory = new MemoryArtifactCache(1 << 20);
        new StoredArtifactAdmission(memory).Attach(proxy);
        const string info = "/example.com/!upper/m/@v/v1.0.0-!rc.1.info";

        // A client's .mod: its .info is read ahead and enters the memory cache; no zip yet.
        await GetAsync(proxy, ArtifactKind.Mod);
        await WaitForAsync(() => memory.Contains(info));
        Assert.Equal(1, proxy.Prefetch.Fetched);

        // A client's .info answered from memory (as the hot path does) tells the read-ahead: the zip follows, once.
        Assert.True(memory.TryGet(info, out _));
        Assert.True(memory.TryGet(info, out _));
        await WaitForAsync(() => memory.Contains("/example.com/!upper/m/@v/v1.0.0-!rc.1.zip"));
        Assert.Equal(2, proxy.Prefetch.Fetched);
        Assert.Equal(2, proxy.Prefetch.Queued);
        Assert.True(memory.TryGet("/example.com/!upper/m/@v/v1.0.0-!rc.1.zip", out var z));
        Assert.Equal(zip.Length, z.Length);
    }

    private static async Task<ResolveResult> GetAsync(ModuleProxy proxy, ArtifactKind kind) =>
        await proxy.Resolver.ResolveAsync(new ModuleRequest(ModulePath.Parse(Module), kind, Version), CancellationToken.None);

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    [Fact]
    public async Task Admit_FetchedArtifacts_InMemoryUnderTheCanonicalTargetWithTheStoredBytes()
    {
        var (url, mod, zip, info) = Upstream();
        using var proxy = Proxy(url);
        var memory = new MemoryArtifactCache(1 << 20);
        new StoredArtifactAdmission(memory).Attach(proxy);

        Assert.Equal(ResolveOutcome.Found, (await GetAsync(proxy, ArtifactKind.Mod)).Outcome);
        Assert.Equal(ResolveOutcome.Found, (await GetAsync(proxy, ArtifactKind.Info)).Outcome);
        Assert.Equal(ResolveOutcome.Found, (await GetAsync(proxy, ArtifactKind.Zip)).Outcome);
        await WaitForAsync(() => memory.Count == 3);

        // module.EscapePath / EscapeVersion spell upper case as !x: the target the go command sends.
        const string prefix = "/example.com/!upper/m/@v/v1.0.0-!rc.1";
        Assert.True(memory.TryGet(prefix + ".mod", out var m));
        Assert.Equal(mod, m.Body);
        Assert.Equal("text/plain; charset=utf-8", m.ContentType.ToString());
        Assert.Equal("Mod", m.Kind);
        Assert.Equal(Module, m.Module);
        Assert.True(memory.TryGet(prefix + ".info", out var i));
        Assert.Equal(info, i.Body);
        Assert.Equal("application/json", i.ContentType.ToString());
        Assert.True(memory.TryGet(prefix + ".zip", out var z));
        Assert.Null(z.Body);
        Assert.NotNull(z.File);
        Assert.Equal(zip.Length, z.Length);
        Assert.Equal("application/zip", z.ContentType.ToString());

        // The same Last-Modified a store hit would give: the stored file's time.
        var hit = await GetAsync(proxy, ArtifactKind.Mod);
        Assert.Equal(CacheStatus.Hit, hit.Cache);
        Assert.Equal(hit.Content!.LastModified!.Value.ToString("R"), m.LastModified.ToString());
    }

    [Fact]
    public async Task Admit_MemoryCacheOff_NothingAdmitted()
    {
        var (url, _, _, _) = Upstream();
        using var proxy = Proxy(url);
        var memory = new MemoryArtifactCache(0);
        new StoredArtifactAdmission(memory).Attach(proxy);

        await GetAsync(proxy, ArtifactKind.Mod);
        await GetAsync(proxy, ArtifactKind.Zip);
        proxy.Dispose(); // waits for the durable commits, after which the events have fired

        Assert.Equal(0, memory.Count);
    }

    [Fact]
    public async Task Admit_StoredFileRemovedMeanwhile_SkippedWithoutError()
    {
        var (url, _, _, _) = Upstream();
        using var proxy = Proxy(url);
        var memory = new MemoryArtifactCache(1 << 20);
        var admission = new StoredArtifactAdmission(memory);
        Moddock.Proxy.Storage.StoredArtifact? seen = null;
        proxy.ArtifactStored += s => seen ??= s;

        await GetAsync(proxy, ArtifactKind.Mod);
        await WaitForAsync(() => seen is not null);
        File.Delete(seen!.FilePath!);
        admission.Admit(seen);

        Assert.Equal(0, memory.Count);
    }

    [Fact]
    public async Task Admit_SubscriberThrows_FetchStillStoredAndServed()
    {
        var (url, mod, _, _) = Upstream();
        using var proxy = Proxy(url);
        var calls = 0;
        proxy.ArtifactStored += _ =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("subscriber bug");
        };

        var first = await GetAsync(proxy, ArtifactKind.Mod);
        await WaitForAsync(() => Volatile.Read(ref calls) == 1);
        var second = await GetAsync(proxy, ArtifactKind.Mod);

        Assert.Equal(ResolveOutcome.Found, first.Outcome);
        Assert.Equal(CacheStatus.Hit, second.Cache);
        await using var s = second.Content!.Open(CancellationToken.None);
        using var copy = new MemoryStream();
        await s.CopyToAsync(copy);
        Assert.Equal(mod, copy.ToArray());
    }
}
