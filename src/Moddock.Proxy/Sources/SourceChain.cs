using Moddock.Modules;

namespace Moddock.Proxy.Sources;

/// <summary>
/// Where a module is fetched from, with GOPROXY's list semantics (cmd/go modfetch proxyList/TryProxies):
/// <list type="bullet">
/// <item>private modules (GOPRIVATE/GONOPROXY patterns) go only to direct, never to an upstream proxy;</item>
/// <item>an upstream's 404/410 moves on to the next entry whatever the separator;</item>
/// <item>any other failure moves on only after <c>|</c>; after <c>,</c> it is the answer;</item>
/// <item><c>direct</c> answers and ends the list; <c>off</c> answers not-found and ends it.</item>
/// </list>
/// One deliberate difference from the go command: when every entry was tried (errors skipped by <c>|</c>)
/// and some source answered not-found, the answer is not-found. A server that said 502 there would break
/// clients' path-prefix probes and their own fallback whenever one mirror of several is down.
/// </summary>
internal sealed class SourceChain(IReadOnlyList<ChainEntry> entries, IModuleSource direct, Func<ModulePath, bool> isPrivate)
{
    internal const string OffReason = "module lookup disabled by GOPROXY=off";

    public IReadOnlyList<ChainEntry> Entries => entries;

    public async Task<ChainResult<T>> FetchAsync<T>(ModulePath path, Func<IModuleSource, CancellationToken, Task<SourceResult<T>>> fetch, CancellationToken ct)
    {
        if (isPrivate(path))
        {
            return new(await fetch(direct, ct).ConfigureAwait(false), direct.Name);
        }

        ChainResult<T>? notFound = null;
        ChainResult<T>? error = null;
        foreach (var entry in entries)
        {
            switch (entry.Kind)
            {
                case ChainEntryKind.Direct:
                    return new(await fetch(direct, ct).ConfigureAwait(false), direct.Name);
                case ChainEntryKind.Off:
                    return notFound ?? error ?? new(SourceResult<T>.Fail(SourceFailureKind.NotFound, OffReason, 404), null);
                case ChainEntryKind.NoProxy:
                    // Only matching (private) paths are fetched by a noproxy entry; they were routed above.
                    continue;
            }

            var source = entry.Source!;
            var result = await fetch(source, ct).ConfigureAwait(false);
            if (result.IsSuccess)
            {
                return new(result, source.Name);
            }

            if (result.Failure.IsNotFound)
            {
                notFound ??= new(result, source.Name);
                continue;
            }

            error ??= new(result, source.Name);
            if (!entry.FallBackOnAnyError)
            {
                return new(result, source.Name);
            }
        }

        return notFound ?? error ?? new(SourceResult<T>.Fail(SourceFailureKind.NotFound, "no upstream is configured", 404), null);
    }
}
