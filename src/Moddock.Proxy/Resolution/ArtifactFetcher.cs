using System.Text;
using Microsoft.Extensions.Logging;
using Moddock.Modules;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Storage;
using Moddock.Proxy.Verification;

namespace Moddock.Proxy.Resolution;

/// <summary>
/// Step 3 of <see cref="ModuleResolver.ResolveAsync"/> for each kind of artifact: fetch it through the
/// source chain, verify it, store it, and answer from what was stored. Runs inside a single flight,
/// without any caller's cancellation token.
/// </summary>
internal sealed partial class ArtifactFetcher(IModuleStore store, SourceChain chain, ArtifactVerifier verifier, long streamZipsFrom, TimeProvider time, ILogger logger, ArtifactEvents events)
{
    public async Task<ResolveResult> ListAsync(ModulePath path)
    {
        var r = await chain.FetchAsync(path, (s, ct) => s.ListAsync(path, ct), CancellationToken.None).ConfigureAwait(false);
        if (!r.Result.IsSuccess)
        {
            return Failed(r.Result.Failure, r.Source);
        }

        var lines = r.Result.Value!;
        var upstreamAnswer = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        await TrySaveAsync(StoreKey.List(path), upstreamAnswer).ConfigureAwait(false);
        var stored = await store.ListVersionsAsync(path, CancellationToken.None).ConfigureAwait(false);
        return ResolveResult.Found(ArtifactContent.FromBytes(VersionList.Derive(lines, stored), ContentTypes.Text, null), CacheStatus.Miss, r.Source);
    }

    public async Task<ResolveResult> LatestAsync(ModulePath path)
    {
        var r = await chain.FetchAsync(path, (s, ct) => CheckedInfoAsync(s, s.LatestAsync(path, ct), path, null), CancellationToken.None).ConfigureAwait(false);
        if (!r.Result.IsSuccess)
        {
            return Failed(r.Result.Failure, r.Source);
        }

        var info = r.Result.Value!;
        var resolved = ModuleVersion.Parse(info.Version); // CheckedInfoAsync let only a canonical version through

        var raw = Encoding.UTF8.GetBytes(info.RawJson);
        var stored = await TrySaveAsync(StoreKey.Latest(path), raw).ConfigureAwait(false);
        await SaveInfoAsync(path, resolved, raw).ConfigureAwait(false);
        // From memory, not the stored file: @latest is replaced in place, and a refresh (here or by another process
        // on the same root) between this answer and its response would not match the stored length.
        return ResolveResult.Found(ArtifactContent.FromBytes(raw, ContentTypes.Json, stored?.SavedAt ?? time.GetUtcNow()), CacheStatus.Miss, r.Source);
    }

    /// <summary>
    /// A canonical .info, or a query (branch, <c>v1.2</c>) answered with what it resolved to, stored under that version.
    /// Answered from memory as soon as it checks out; the durable store (fsync, rename, directory fsync) follows
    /// inside the same flight, so requests that arrive meanwhile join it and later ones read the stored file.
    /// </summary>
    public async Task InfoAsync(ModulePath path, string query, ModuleVersion? canonical, Action<ResolveResult> answer)
    {
        var r = await chain.FetchAsync(path, (s, ct) => CheckedInfoAsync(s, s.InfoAsync(path, query, ct), path, canonical), CancellationToken.None).ConfigureAwait(false);
        if (!r.Result.IsSuccess)
        {
            answer(Failed(r.Result.Failure, r.Source));
            return;
        }

        var info = r.Result.Value!;
        var resolved = ModuleVersion.Parse(info.Version); // CheckedInfoAsync let only a canonical version through

        var raw = Encoding.UTF8.GetBytes(info.RawJson);
        answer(ResolveResult.Found(ArtifactContent.FromBytes(raw, ContentTypes.Json, canonical is null ? null : time.GetUtcNow()), CacheStatus.Miss, r.Source));
        await SaveInfoAsync(path, resolved, raw).ConfigureAwait(false);
    }

    /// <summary>Like <see cref="InfoAsync"/>: answered once the go.mod checks out (and its h1 is verified), stored after.</summary>
    public async Task ModAsync(ModulePath path, ModuleVersion version, Action<ResolveResult> answer)
    {
        var r = await chain.FetchAsync(path, (s, ct) => CheckedModAsync(s, s.ModAsync(path, version, ct), path, version), CancellationToken.None).ConfigureAwait(false);
        if (!r.Result.IsSuccess)
        {
            answer(Failed(r.Result.Failure, r.Source));
            return;
        }

        var mod = r.Result.Value!; // CheckedModAsync checked the file inside the chain; its h1 is checked here
        if (await verifier.CheckModSumAsync(path, version, mod, r.Source ?? "source", CancellationToken.None).ConfigureAwait(false) is { } bad)
        {
            answer(Refused(bad, r.Source));
            return;
        }

        answer(ResolveResult.Found(ArtifactContent.FromBytes(mod, ContentTypes.Text, time.GetUtcNow()), CacheStatus.Miss, r.Source));
        if (await TrySaveAsync(StoreKey.ForVersion(path, ArtifactKind.Mod, version), mod).ConfigureAwait(false) is { } stored)
        {
            events.RaiseStored(stored);
        }
    }

    /// <summary>
    /// Streams the zip into a staged temp file. From <see cref="ModuleResolverOptions.StreamZipsFrom"/> bytes the
    /// answer is published as soon as the upstream announces the length, with a <see cref="ZipTailStream"/> that
    /// follows the download and releases its last byte once the zip is verified and stored. Smaller zips are
    /// answered as soon as they are verified, and their durable commit (fsync, rename, directory fsync) follows
    /// inside the flight, so waiters that arrive meanwhile join the flight and later ones get the stored file.
    /// </summary>
    public async Task ZipAsync(ModulePath path, ModuleVersion version, Action<ResolveResult> answer)
    {
        var key = StoreKey.ForVersion(path, ArtifactKind.Zip, version);
        IStagedArtifact staged;
        try
        {
            staged = await store.StageAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StorageFailureException e)
        {
            answer(StorageFailed(key, e));
            return;
        }

        await using (staged.ConfigureAwait(false))
        {
            using var staging = new ZipStaging(staged.Content, staged.LocalPath, key.ToString());
            try
            {
                await FetchZipAsync(path, version, staged, staging, answer).ConfigureAwait(false);
            }
            catch (StorageFailureException e)
            {
                // Our disk, not the upstream: no retry, no other upstream, and the reason says so. Readers already
                // following a streamed download are cut off (their response promised bytes we could not keep).
                staging.Failed(e.Message, storage: true);
                answer(StorageFailed(key, e));
            }
            finally
            {
                // Readers following the download must never wait on a flight that died of an exception.
                staging.Failed("the download ended unexpectedly");
            }
        }
    }

    private async Task FetchZipAsync(ModulePath path, ModuleVersion version, IStagedArtifact staged, ZipStaging staging, Action<ResolveResult> answer)
    {
        {
            string? source = null;
            var streaming = false;
            staging.LengthAnnounced += length =>
            {
                // Too big for the room left: refused now, before any byte is promised (a streamed answer could only
                // be cut off when the disk filled), and without downloading what cannot be kept. Thrown from inside
                // the source's download, a StorageFailureException passes every source and ends the chain.
                if (staged.AvailableSpace is var free && free < length)
                {
                    throw new StorageFailureException($"cannot store {staged.Key} in the storage: it is {length} bytes, and the storage has {free} bytes free");
                }

                // Small zips wait for verification so a refusal is a clear answer, not a cut stream.
                if (length >= streamZipsFrom)
                {
                    streaming = true;
                    answer(ResolveResult.Found(
                        new ArtifactContent(_ => new ZipTailStream(staging, length), length, ContentTypes.Zip, null),
                        CacheStatus.Miss,
                        source));
                }
            };

            var r = await chain.FetchAsync(
                path,
                async (s, ct) =>
                {
                    source = s.Name;
                    staging.SetLength(0);
                    staging.Position = 0;
                    var fetched = await s.ZipAsync(path, version, staging, ct).ConfigureAwait(false);
                    if (!fetched.IsSuccess || streaming)
                    {
                        return fetched; // a streamed zip's bytes are already promised: it is judged after the chain
                    }

                    // Not yet answered: a zip failing the module zip checks is this source's failure, so '|' moves on.
                    await staging.FlushAsync(ct).ConfigureAwait(false);
                    if (ArtifactVerifier.CheckZipFile(path, version, staged.LocalPath, s.Name) is { } bad)
                    {
                        Log.NotStored(logger, s.Name, bad.Reason);
                        return SourceResult<long>.Fail(SourceFailureKind.Invalid, bad.Reason);
                    }

                    return fetched;
                },
                CancellationToken.None).ConfigureAwait(false);
            if (!r.Result.IsSuccess)
            {
                staging.Failed(r.Result.Failure.Reason);
                answer(Failed(r.Result.Failure, r.Source));
                return;
            }

            await staging.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            // A zip not streamed passed the file checks inside the chain; a streamed one is checked now, then every
            // zip's h1 against the checksum database.
            var from = r.Source ?? "source";
            var bad = (streaming ? ArtifactVerifier.CheckZipFile(path, version, staged.LocalPath, from) : null)
                ?? await verifier.CheckZipSumAsync(path, version, staged.LocalPath, from, CancellationToken.None).ConfigureAwait(false);
            if (bad is not null)
            {
                staging.Failed(bad.Reason);
                answer(Refused(bad, r.Source));
                return;
            }

            // Verified: a small zip is answered now (a large one was answered when its length was announced, and
            // answering again is a no-op); its readers take the last byte before the durable commit below.
            staging.Verified();
            var length = staging.Current.Written;
            answer(ResolveResult.Found(
                new ArtifactContent(_ => new ZipTailStream(staging, length, releaseWhenVerified: true), length, ContentTypes.Zip, time.GetUtcNow()),
                CacheStatus.Miss,
                r.Source));

            // The answers above promised these bytes and this length. If another process sharing the storage root
            // stored this version first, its copy wins the commit and may differ (same h1, other bytes): readers
            // of this flight keep reading our temp file through the staging's shared handle, and only later
            // requests get the stored copy, as a hit with its own length.
            StoredArtifact stored;
            try
            {
                stored = await staged.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (StorageFailureException e)
            {
                // The bytes are verified and every reader of this flight holds them open (the staging's handle
                // outlives the temp file's name): they are served whole, only not kept. The next request fetches again.
                Log.StoreFailed(logger, staged.Key.ToString(), e.Message);
                staging.NotStored(e.Message);
                return;
            }

            if (stored.AlreadyStored)
            {
                Log.KeptExistingZip(logger, path.Value, version.Value, stored.Length, length);
            }

            staging.Committed(stored.FilePath ?? staged.LocalPath, ours: !stored.AlreadyStored);
            events.RaiseStored(stored);
        }
    }

    /// <summary>
    /// Starts the checksum-database lookup of a canonical version as its .mod or .zip fetch begins, so the
    /// database round trip overlaps the download; verification later joins it (or its cached result).
    /// </summary>
    public void StartChecksumLookup(ModulePath path, ModuleVersion version) => verifier.StartLookup(path, version);

    internal static ArtifactContent Content(StoredArtifact stored, string contentType, bool stale = false) =>
        stored.FilePath is { } file
            ? new ArtifactContent(file, stored.Length, contentType, stored.SavedAt, stale)
            : new ArtifactContent(stored.Open, stored.Length, contentType, stored.SavedAt, stale);

    /// <summary>
    /// A .info (or @latest) that names another version, or no canonical one, is a failure of the source that sent it,
    /// judged inside the chain: like cmd/go's proxyRepo.Stat within TryProxies, '|' then moves on to the next
    /// upstream, and after ',' the refusal is the answer (Invalid, so 502 with the reason).
    /// </summary>
    private async Task<SourceResult<VersionInfo>> CheckedInfoAsync(IModuleSource source, Task<SourceResult<VersionInfo>> fetch, ModulePath path, ModuleVersion? canonical)
    {
        var r = await fetch.ConfigureAwait(false);
        if (r.IsSuccess && ArtifactVerifier.CheckInfo(path, canonical, r.Value!, source.Name, out _) is { } bad)
        {
            Log.NotStored(logger, source.Name, bad.Reason);
            return SourceResult<VersionInfo>.Fail(SourceFailureKind.Invalid, bad.Reason);
        }

        return r;
    }

    /// <summary>Like <see cref="CheckedInfoAsync"/> for a go.mod that does not parse or names another module; its h1 is checked after the chain.</summary>
    private async Task<SourceResult<byte[]>> CheckedModAsync(IModuleSource source, Task<SourceResult<byte[]>> fetch, ModulePath path, ModuleVersion version)
    {
        var r = await fetch.ConfigureAwait(false);
        if (r.IsSuccess && ArtifactVerifier.CheckModFile(path, version, r.Value!, source.Name) is { } bad)
        {
            Log.NotStored(logger, source.Name, bad.Reason);
            return SourceResult<byte[]>.Fail(SourceFailureKind.Invalid, bad.Reason);
        }

        return r;
    }

    /// <summary>
    /// Stores a small artifact that has already been answered (or will be, from memory). A storage failure is not
    /// the client's problem: the verified bytes are served all the same, only not cached, and the log says why.
    /// </summary>
    private async Task<StoredArtifact?> TrySaveAsync(StoreKey key, byte[] content)
    {
        try
        {
            return await store.SaveAsync(key, content, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StorageFailureException e)
        {
            Log.StoreFailed(logger, key.ToString(), e.Message);
            return null;
        }
    }

    private async Task SaveInfoAsync(ModulePath path, ModuleVersion version, byte[] raw)
    {
        if (await TrySaveAsync(StoreKey.ForVersion(path, ArtifactKind.Info, version), raw).ConfigureAwait(false) is { } stored)
        {
            events.RaiseStored(stored);
        }
    }

    /// <summary>Our storage's failure, not any source's: its own outcome, with the reason naming the storage.</summary>
    private ResolveResult StorageFailed(StoreKey key, StorageFailureException e)
    {
        Log.StoreFailed(logger, key.ToString(), e.Message);
        return ResolveResult.Failed(ResolveOutcome.StorageFailed, e.Message, CacheStatus.Miss);
    }

    internal static ResolveResult Failed(SourceFailure failure, string? source)
    {
        var outcome = failure.Kind switch
        {
            SourceFailureKind.NotFound => ResolveOutcome.NotFound,
            SourceFailureKind.Gone => ResolveOutcome.Gone,
            SourceFailureKind.AuthRequired => ResolveOutcome.Unauthorized,
            SourceFailureKind.Status when failure.StatusCode == 403 => ResolveOutcome.Forbidden,
            SourceFailureKind.Invalid => ResolveOutcome.Refused,
            _ => ResolveOutcome.UpstreamFailed,
        };
        return ResolveResult.Failed(outcome, failure.Reason, CacheStatus.Miss, source);
    }

    private ResolveResult Refused(VerificationFailure bad, string? source)
    {
        Log.NotStored(logger, source ?? "?", bad.Reason);
        return ResolveResult.Failed(bad.Outcome, bad.Reason, CacheStatus.Miss, source);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "not storing what {Upstream} sent: {Reason}")]
        public static partial void NotStored(ILogger logger, string upstream, string reason);

        [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "not stored: {Artifact}: {Reason}")]
        public static partial void StoreFailed(ILogger logger, string artifact, string reason);

        [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "{Module}@{Version}: a copy stored meanwhile by another process ({StoredLength} bytes) was kept; this download ({Length} bytes) is served only to the requests already answered with it")]
        public static partial void KeptExistingZip(ILogger logger, string module, string version, long storedLength, long length);
    }
}
