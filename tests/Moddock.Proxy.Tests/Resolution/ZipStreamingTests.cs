using Moddock.Modules;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Tests.Support;

namespace Moddock.Proxy.Tests.Resolution;

/// <summary>A zip miss streams to clients while it downloads, and a bad zip is never delivered whole.</summary>
public sealed class ZipStreamingTests
{
    [Fact]
    public async Task Resolve_ZipMissWithAnnouncedLength_AnswersBeforeDownloadEndsAndStreamsAllBytes()
    {
        var m = TestModule.Large("example.com/stream", "v1.0.0", 512);
        var source = new FakeSource("up", m) { AnnounceLength = true, ZipGate = new TaskCompletionSource() };
        var h = Streaming(source);

        // The answer arrives while the source is still held halfway.
        var r = await h.GetAsync(m, ArtifactKind.Zip);
        Assert.Equal(ResolveOutcome.Found, r.Outcome);
        Assert.Null(r.Content!.FilePath);
        Assert.Equal(m.Zip.Length, r.Content.Length);

        await using var body = r.Content.Open(default);
        var firstHalf = new byte[m.Zip.Length / 2];
        await body.ReadExactlyAsync(firstHalf);
        Assert.Equal(m.Zip.AsSpan(0, firstHalf.Length).ToArray(), firstHalf);

        source.ZipGate.SetResult();
        using var rest = new MemoryStream();
        await body.CopyToAsync(rest);
        Assert.Equal(m.Zip, firstHalf.Concat(rest.ToArray()).ToArray());

        await SingleFlightTests.WaitUntilAsync(() => h.Resolver.FetchesInProgress == 0);
        var later = await h.GetAsync(m, ArtifactKind.Zip);
        Assert.Equal(CacheStatus.Hit, later.Cache);
        Assert.NotNull(later.Content!.FilePath);
    }

    [Fact]
    public async Task Resolve_StreamedZipFailsVerification_ReaderAbortsBeforeTheLastByte()
    {
        var m = TestModule.Large("example.com/stream", "v1.0.0", 64);
        var imposter = TestModule.Large("example.com/imposter", "v1.0.0", 64);
        var source = new FakeSource("up", m) { AnnounceLength = true, ZipGate = new TaskCompletionSource(), ZipOverride = imposter.Zip };
        var h = Streaming(source);

        var r = await h.GetAsync(m, ArtifactKind.Zip);
        await using var body = r.Content!.Open(default);
        source.ZipGate.SetResult();
        using var got = new MemoryStream();

        await Assert.ThrowsAsync<IOException>(() => body.CopyToAsync(got));
        Assert.True(got.Length < imposter.Zip.Length);

        await SingleFlightTests.WaitUntilAsync(() => h.Resolver.FetchesInProgress == 0);

        // Nothing was stored: the next request fetches again, and (without streaming) gets the refusal itself.
        source.AnnounceLength = false;
        var again = await h.GetAsync(m, ArtifactKind.Zip);
        Assert.Equal(ResolveOutcome.Refused, again.Outcome);
        Assert.Contains("zip checks", again.Reason);
        Assert.Equal(2, source.ZipCalls);
    }

    [Fact]
    public async Task Resolve_ManyReadersOfOneStreamingZip_AllGetTheSameBytes()
    {
        var m = TestModule.Large("example.com/stream", "v1.0.0", 256);
        var source = new FakeSource("up", m) { AnnounceLength = true, ZipGate = new TaskCompletionSource() };
        var h = Streaming(source);

        var readers = Enumerable.Range(0, 20).Select(async _ => await ResolverHarness.ReadAsync(await h.GetAsync(m, ArtifactKind.Zip))).ToList();
        await SingleFlightTests.WaitUntilAsync(() => source.ZipCalls == 1);
        source.ZipGate.SetResult();

        Assert.All(await Task.WhenAll(readers), b => Assert.Equal(m.Zip, b));
        Assert.Equal(1, source.ZipCalls);
    }

    [Fact]
    public async Task Resolve_SmallZipFailsVerification_FirstRequestGetsTheRefusalReason()
    {
        var m = TestModule.Large("example.com/stream", "v1.0.0", 64);
        var imposter = TestModule.Large("example.com/imposter", "v1.0.0", 64);
        var source = new FakeSource("up", m) { AnnounceLength = true, ZipOverride = imposter.Zip };
        var h = ResolverHarness.Over(source); // default options: 64 KiB is below the streaming threshold

        var r = await h.GetAsync(m, ArtifactKind.Zip);

        Assert.Equal(ResolveOutcome.Refused, r.Outcome);
        Assert.Contains("zip checks", r.Reason);
        Assert.Null(r.Content);
    }

    [Fact]
    public async Task Resolve_SmallZipMiss_AnsweredOnceVerifiedThenStored()
    {
        var m = TestModule.Large("example.com/stream", "v1.0.0", 64);
        var source = new FakeSource("up", m) { AnnounceLength = true };
        var h = ResolverHarness.Over(source);

        var r = await h.GetAsync(m, ArtifactKind.Zip);

        Assert.Equal(ResolveOutcome.Found, r.Outcome);
        Assert.Equal(m.Zip.Length, r.Content!.Length);
        Assert.Equal(m.Zip, await ResolverHarness.ReadAsync(r));
        await h.SettledAsync();
        var stored = await h.GetAsync(m, ArtifactKind.Zip);
        Assert.Equal(CacheStatus.Hit, stored.Cache);
        Assert.Equal(m.Zip, await File.ReadAllBytesAsync(stored.Content!.FilePath!));
        Assert.Equal(1, source.ZipCalls);
    }

    private static ResolverHarness Streaming(FakeSource source) =>
        new([ChainEntry.Upstream(source, fallBackOnAnyError: false)], new ModuleResolverOptions { StreamZipsFrom = 0 });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Resolve_DownloadRestartsAfterReaderBegan_ContinuesOnlyIfPrefixIsIdentical(bool corruptFirstAttempt)
    {
        var m = TestModule.Large("example.com/restart", "v1.0.0", 128);
        var first = m.Zip.ToArray();
        if (corruptFirstAttempt)
        {
            first[10] ^= 0xff;
        }

        var gate = new TaskCompletionSource();
        var breaking = new BreaksHalfway("breaking", first, gate);
        var good = new FakeSource("good", m) { AnnounceLength = true };
        var h = new ResolverHarness([ChainEntry.Upstream(breaking, true), ChainEntry.Upstream(good, false)], new ModuleResolverOptions { StreamZipsFrom = 0 });

        var r = await h.GetAsync(m, ArtifactKind.Zip);
        await using var body = r.Content!.Open(default);
        var head = new byte[first.Length / 2];
        await body.ReadExactlyAsync(head);
        gate.SetResult();
        using var rest = new MemoryStream();

        if (corruptFirstAttempt)
        {
            var e = await Assert.ThrowsAsync<IOException>(() => body.CopyToAsync(rest));
            Assert.Contains("differs from what was already sent", e.Message);
        }
        else
        {
            await body.CopyToAsync(rest);
            Assert.Equal(m.Zip, head.Concat(rest.ToArray()).ToArray());
        }

        Assert.Equal(1, good.ZipCalls);
    }

    /// <summary>Announces the length, sends three quarters of its bytes, waits, then fails like a dropped mirror.</summary>
    private sealed class BreaksHalfway(string name, byte[] zip, TaskCompletionSource gate) : IModuleSource
    {
        public string Name => name;

        public Task<SourceResult<IReadOnlyList<string>>> ListAsync(ModulePath path, CancellationToken ct) => throw new NotSupportedException();

        public Task<SourceResult<VersionInfo>> InfoAsync(ModulePath path, string query, CancellationToken ct) => throw new NotSupportedException();

        public Task<SourceResult<VersionInfo>> LatestAsync(ModulePath path, CancellationToken ct) => throw new NotSupportedException();

        public Task<SourceResult<byte[]>> ModAsync(ModulePath path, ModuleVersion version, CancellationToken ct) => throw new NotSupportedException();

        public async Task<SourceResult<long>> ZipAsync(ModulePath path, ModuleVersion version, Stream destination, CancellationToken ct)
        {
            ((Proxy.Sources.Upstream.IAnnouncedLength)destination).Announce(zip.Length);
            await destination.WriteAsync(zip.AsMemory(0, zip.Length * 3 / 4), ct);
            await gate.Task;
            return SourceResult<long>.Fail(SourceFailureKind.Other, "connection reset");
        }
    }
}
