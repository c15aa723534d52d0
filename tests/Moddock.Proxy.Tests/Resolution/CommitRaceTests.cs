using Moddock.Modules;
using Moddock.Proxy.Resolution;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Tests.Support;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Resolution;

/// <summary>
/// A zip miss is answered before its durable commit. Another process sharing the storage root may store the same
/// version meanwhile, with other bytes (same h1: one from a mirror, one built from git). Every reader of this
/// flight must still get the bytes it was promised, whole, or an <see cref="IOException"/>; never the other file
/// under our length, never a hang. Later requests get the stored file, consistently.
/// </summary>
public sealed class CommitRaceTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(false, null)]
    [InlineData(false, 0)]
    [InlineData(false, -100)]
    [InlineData(false, 100)]
    [InlineData(true, 0)]
    [InlineData(true, -100)]
    [InlineData(true, 100)]
    public async Task Resolve_OtherProcessStoresZipBeforeOurCommit_ReadersGetVerifiedBytesAndLaterHitsTheStoredFile(bool streamed, int? otherLengthDelta)
    {
        var m = TestModule.Large("example.com/race", "v1.0.0", 64);
        var other = otherLengthDelta is { } delta ? OtherZip(m.Zip.Length + delta) : null;
        var root = TestEnvironment.NewTempDir("commit-race");
        var store = new RacingStore(DiskModuleStore.Open(new DiskModuleStoreOptions { Root = root }, new ManualTimeProvider()));
        var finalPath = new DiskLayout(root).FileFor(StoreKey.ForVersion(m.Path, ArtifactKind.Zip, m.Version));
        var source = new FakeSource("up", m) { AnnounceLength = true };
        var resolver = ResolverHarness.Build(store, source, new ModuleResolverOptions { StreamZipsFrom = streamed ? 0 : long.MaxValue });

        var r = await resolver.ResolveAsync(new ModuleRequest(m.Path, ArtifactKind.Zip, m.Version.Value), CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(ResolveOutcome.Found, r.Outcome);
        Assert.Equal(m.Zip.Length, r.Content!.Length);

        // One reader has begun, one has opened its stream but not read (the response started, the body not yet).
        var begun = r.Content.Open(default);
        var head = new byte[m.Zip.Length / 2];
        await begun.ReadExactlyAsync(head).AsTask().WaitAsync(Bound);
        var opened = r.Content.Open(default);

        // The other process commits first, then ours runs (and loses when there is another copy).
        await store.CommitReached.Task.WaitAsync(Bound);
        if (other is not null)
        {
            await File.WriteAllBytesAsync(finalPath, other);
        }

        store.ReleaseCommit.SetResult();
        await SingleFlightTests.WaitUntilAsync(() => resolver.FetchesInProgress == 0).WaitAsync(Bound);

        // A stream opened after the flight ended while earlier readers still hold the temp file: the same bytes.
        var whileHeld = r.Content.Open(default);
        Assert.Equal(m.Zip, head.Concat(await ReadToEndAsync(begun)).ToArray());
        Assert.Equal(m.Zip, await ReadToEndAsync(opened));
        Assert.Equal(m.Zip, await ReadToEndAsync(whileHeld));
        await begun.DisposeAsync();
        await opened.DisposeAsync();
        await whileHeld.DisposeAsync();

        // Opened once every reader is done (the temp file is closed): the stored file if it is ours, else a clean failure.
        await using var late = r.Content.Open(default);
        if (other is null)
        {
            Assert.Equal(m.Zip, await ReadToEndAsync(late));
        }
        else
        {
            // Its own type, so the server can ask again and answer with the stored copy (nothing was sent yet).
            var e = await Assert.ThrowsAsync<ArtifactSupersededException>(() => ReadToEndAsync(late));
            Assert.Contains("another process", e.Message);
        }

        // Later requests: a hit on the stored file, its own length and bytes.
        var hit = await resolver.ResolveAsync(new ModuleRequest(m.Path, ArtifactKind.Zip, m.Version.Value), CancellationToken.None).WaitAsync(Bound);
        var expected = other ?? m.Zip;
        Assert.Equal(CacheStatus.Hit, hit.Cache);
        Assert.Equal(finalPath, hit.Content!.FilePath);
        Assert.Equal(expected.Length, hit.Content.Length);
        Assert.Equal(expected, await File.ReadAllBytesAsync(hit.Content.FilePath!));
        Assert.Equal(1, source.ZipCalls);
        Assert.Empty(Directory.EnumerateFiles(root, DiskLayout.TempPrefix + "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Resolve_StoredZipDeletedAfterTheFlight_LateReaderAsksAgainInsteadOfFailing()
    {
        // The flight's answer outlives the flight: a request that joined it late reads the stored file. If that file
        // was deleted since (by hand, or discarded as damaged), its bytes are gone before any was sent; the server
        // must then ask the resolver again (ArtifactSupersededException), not answer 502 "upstream failed" (a CI
        // run of the e2e memory-cache damage test did).
        var m = TestModule.Large("example.com/gone", "v1.0.0", 64);
        var root = TestEnvironment.NewTempDir("commit-gone");
        var store = DiskModuleStore.Open(new DiskModuleStoreOptions { Root = root }, new ManualTimeProvider());
        var finalPath = new DiskLayout(root).FileFor(StoreKey.ForVersion(m.Path, ArtifactKind.Zip, m.Version));
        var source = new FakeSource("up", m) { AnnounceLength = true };
        var resolver = ResolverHarness.Build(store, source, new ModuleResolverOptions());

        var r = await resolver.ResolveAsync(new ModuleRequest(m.Path, ArtifactKind.Zip, m.Version.Value), CancellationToken.None).WaitAsync(Bound);
        await using (var first = r.Content!.Open(default))
        {
            Assert.Equal(m.Zip, await ReadToEndAsync(first));
        }

        await SingleFlightTests.WaitUntilAsync(() => resolver.FetchesInProgress == 0).WaitAsync(Bound);
        Assert.True(File.Exists(finalPath));
        File.Delete(finalPath);

        await using var late = r.Content.Open(default);
        await Assert.ThrowsAsync<ArtifactSupersededException>(() => ReadToEndAsync(late));
    }

    [Fact]
    public async Task Commit_ImmutableKeyAlreadyStored_ReportsTheExistingCopy()
    {
        var root = TestEnvironment.NewTempDir("commit-race");
        var store = DiskModuleStore.Open(new DiskModuleStoreOptions { Root = root }, new ManualTimeProvider());
        var key = StoreKey.ForVersion(ModulePath.Parse("example.com/race"), ArtifactKind.Zip, ModuleVersion.Parse("v1.0.0"));

        await using var first = await store.StageAsync(key, default);
        await using var second = await store.StageAsync(key, default);
        await first.Content.WriteAsync(new byte[10]);
        await second.Content.WriteAsync(new byte[20]);
        var won = await first.CommitAsync(default);
        var lost = await second.CommitAsync(default);

        Assert.False(won.AlreadyStored);
        Assert.True(lost.AlreadyStored);
        Assert.Equal(10, lost.Length);
        Assert.False(File.Exists(second.LocalPath));
    }

    /// <summary>Once a reader's bytes are final, a short file is an IOException, never a wait for a change that never comes.</summary>
    [Theory]
    [InlineData("verified")]
    [InlineData("committed-ours")]
    [InlineData("committed-other")]
    public async Task Read_FinalBytesShorterThanAnnounced_ThrowsIOExceptionInsteadOfWaiting(string end)
    {
        var temp = Path.Combine(TestEnvironment.NewTempDir("zip-tail"), "staged");
        var bytes = OtherBytes(1000);
        await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete);
        using var staging = new ZipStaging(file, temp, "example.com/race@v1.0.0.zip");
        await staging.WriteAsync(bytes);
        await using var reader = new ZipTailStream(staging, bytes.Length, releaseWhenVerified: end == "verified");

        // The file loses its tail behind the staging's back (what the state says was written is no longer there).
        file.SetLength(600);
        staging.Verified();
        if (end != "verified")
        {
            staging.Committed(temp, ours: end == "committed-ours");
        }

        using var got = new MemoryStream();
        var e = await Assert.ThrowsAsync<IOException>(() => reader.CopyToAsync(got).WaitAsync(Bound));
        Assert.Contains("600 of 1000", e.Message);
        Assert.Equal(bytes.AsSpan(0, 600).ToArray(), got.ToArray());
    }

    /// <summary>@latest is replaced in place on refresh (here or by another process): an answer keeps the bytes it measured.</summary>
    [Fact]
    public async Task Resolve_LatestReplacedAfterItWasAnswered_AnswerKeepsItsOwnBytesAndLength()
    {
        var m = new TestModule("example.com/race", "v1.0.0");
        var h = ResolverHarness.Over(new FakeSource("up", m));
        var miss = await h.GetAsync(m.Path, ArtifactKind.Latest).WaitAsync(Bound);
        var hit = await h.GetAsync(m.Path, ArtifactKind.Latest).WaitAsync(Bound);
        Assert.Equal(CacheStatus.Hit, hit.Cache);
        var file = new DiskLayout(h.Root).FileFor(StoreKey.Latest(m.Path));
        var before = await File.ReadAllBytesAsync(file);

        await File.WriteAllTextAsync(file + ".new", "{\"Version\":\"v1.0.1\",\"Time\":\"2024-02-03T04:05:06Z\",\"Origin\":{}}");
        File.Move(file + ".new", file, overwrite: true);

        foreach (var answer in new[] { miss, hit })
        {
            Assert.Equal(before.Length, answer.Content!.Length);
            Assert.Equal(before, await ResolverHarness.ReadAsync(answer).WaitAsync(Bound));
        }
    }

    /// <summary>
    /// Another process's copy: other bytes and length, ending with a zip's end-of-central-directory record (a stored zip
    /// without one is taken for a truncated file and fetched again, see StoredArtifactCheck).
    /// </summary>
    private static byte[] OtherZip(int length)
    {
        var b = OtherBytes(length);
        b.AsSpan(length - 22).Clear();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(length - 22), 0x06054b50);
        return b;
    }

    private static byte[] OtherBytes(int length)
    {
        var b = new byte[length];
        new Random(length).NextBytes(b);
        return b;
    }

    private static async Task<byte[]> ReadToEndAsync(Stream s)
    {
        using var buffer = new MemoryStream();
        await s.CopyToAsync(buffer).WaitAsync(Bound);
        return buffer.ToArray();
    }

    /// <summary>A disk store whose staged commits wait until the test has played the other process.</summary>
    private sealed class RacingStore(DiskModuleStore inner) : DelegatingStore(inner)
    {
        public TaskCompletionSource CommitReached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ReleaseCommit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async ValueTask<StoredArtifact> CommitAsync(IStagedArtifact staged, CancellationToken ct)
        {
            CommitReached.TrySetResult();
            await ReleaseCommit.Task.WaitAsync(Bound, ct);
            return await staged.CommitAsync(ct);
        }
    }
}
