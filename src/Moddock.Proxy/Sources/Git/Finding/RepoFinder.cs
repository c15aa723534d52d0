using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Moddock.Modules;
using Moddock.Proxy.Sources.Git.Credentials;

namespace Moddock.Proxy.Sources.Git.Finding;

/// <summary>
/// Maps a module path to its repository without cloning anything, in this order: config rewrite
/// rules, the hosting sites and `.git`-qualified paths cmd/go knows statically (probing schemes with
/// `git ls-remote`), then `?go-get=1` discovery. Failures are NotFound, and answered quickly.
/// </summary>
internal sealed class RepoFinder(
    IReadOnlyList<GitRewriteRule> rules,
    PathPatterns insecure,
    HttpClient http,
    GitRunner git,
    CredentialSet credentials,
    TimeSpan probeTimeout,
    TimeProvider time,
    Func<string, bool> mirrorExists,
    Action<string, string>? probed = null)
{
    private readonly ConcurrentDictionary<string, (RepoRoot? Root, string? Error, DateTimeOffset At)> _cache = new(StringComparer.Ordinal);
    private static readonly TimeSpan NegativeTtl = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A go-import tag may move a module to another repository (the go command follows at once, as it
    /// looks again every time): a found repository is looked up again after this long.
    /// </summary>
    internal static readonly TimeSpan PositiveTtl = TimeSpan.FromMinutes(10);

    public async Task<RepoRoot> FindAsync(string modulePath, CancellationToken ct)
    {
        var found = _cache.TryGetValue(modulePath, out var c);
        if (found && time.GetUtcNow() - c.At < (c.Root is not null ? PositiveTtl : NegativeTtl))
        {
            return c.Root ?? throw new DirectFailureException(DirectFailureKind.NotFound, c.Error!);
        }

        try
        {
            var root = CheckTransport(modulePath, await FindUncachedAsync(modulePath, ct).ConfigureAwait(false));
            _cache[modulePath] = (root, null, time.GetUtcNow());
            return root;
        }
        catch (DirectFailureException e) when (found && c.Root is not null && e.Kind is DirectFailureKind.NotFound or DirectFailureKind.Other or DirectFailureKind.Timeout)
        {
            // The lookup broke (vanity server down, DNS hiccup): keep using the repository it named last,
            // whose mirror is here, rather than failing modules that were working a minute ago. Asked
            // again a minute later, not on every request.
            _cache[modulePath] = (c.Root, null, time.GetUtcNow() - PositiveTtl + NegativeTtl);
            return c.Root;
        }
        catch (DirectFailureException e) when (e.Kind == DirectFailureKind.NotFound)
        {
            _cache[modulePath] = (null, e.Message, time.GetUtcNow());
            throw;
        }
    }

    /// <summary>
    /// git:// and http:// carry code (and, for http, credentials) unauthenticated and unencrypted: like
    /// GOINSECURE, they are used only for module paths matching --insecure, whether a rewrite rule or a
    /// go-import tag named them.
    /// </summary>
    private RepoRoot CheckTransport(string path, RepoRoot root)
    {
        if (Uri.TryCreate(root.Url, UriKind.Absolute, out var uri) && uri.Scheme is "git" or "http" && !insecure.Matches(path))
        {
            throw new DirectFailureException(
                DirectFailureKind.Invalid,
                $"{path}: refusing insecure {uri.Scheme}:// repository at {uri.Host}: the module path matches no --insecure pattern");
        }

        return root;
    }

    private async Task<RepoRoot> FindUncachedAsync(string path, CancellationToken ct)
    {
        foreach (var rule in rules)
        {
            if (RewriteRules.TryApply(rule, path, out var root))
            {
                return root!;
            }
        }

        var known = KnownHosts.Find(path);
        if (known is not null)
        {
            if (known.Error is not null)
            {
                throw NotFound(known.Error);
            }

            if (known.Vcs != "git")
            {
                throw NotFound($"{path}: version control system {known.Vcs} is not supported (only git)");
            }

            if (known.Url is not null)
            {
                return new RepoRoot(known.Root, "git", known.Url);
            }

            return new RepoRoot(known.Root, "git", await ProbeSchemeAsync(path, known.SchemelessRepo!, ct).ConfigureAwait(false));
        }

        return await DiscoverAsync(path, ct).ConfigureAwait(false);
    }

    /// <summary>cmd/go tries each scheme with `git ls-remote`; insecure ones only for GOINSECURE-style hosts.</summary>
    private async Task<string> ProbeSchemeAsync(string path, string repo, CancellationToken ct)
    {
        string[] schemes = insecure.Matches(path) ? ["git", "https", "http", "ssh"] : ["https", "ssh"];
        // A scheme that already has a mirror answered a probe before: no network round trip.
        if (schemes.Select(s => s + "://" + repo).FirstOrDefault(mirrorExists) is { } known)
        {
            return known;
        }

        foreach (var scheme in schemes)
        {
            var url = scheme + "://" + repo;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                continue;
            }

            // The whole listing, not just HEAD: the mirror about to be created starts from it.
            var r = await git.RunAsync(null, ["ls-remote", "-q", "--", url], ct, credentials.GitConfigFor(uri), timeoutOverride: probeTimeout)
                .ConfigureAwait(false);
            if (r.Ok)
            {
                probed?.Invoke(url, r.Text);
                return url;
            }

            var failure = GitErrors.Classify(uri, "ls-remote", r.StdErr);
            if (failure.Kind == DirectFailureKind.AuthRequired && scheme == "https")
            {
                // The repository exists but wants credentials we do not have: say so, do not fall to ssh silently.
                throw failure;
            }
        }

        throw NotFound($"{path}: no repository answered at {repo} ({string.Join(", ", schemes)})");
    }

    private async Task<RepoRoot> DiscoverAsync(string path, CancellationToken ct)
    {
        var (imports, where) = await FetchImportsAsync(path, ct).ConfigureAwait(false);
        var match = GoImportParser.Match(imports, path, out var error) ?? throw NotFound($"{path}: {where}: {error}");
        if (match.Prefix != path)
        {
            // A shorter prefix claims the path: it must say the same thing about itself (cmd/go's
            // protection against one user of a shared host claiming another's paths).
            var (again, where2) = await FetchImportsAsync(match.Prefix, ct).ConfigureAwait(false);
            var confirm = GoImportParser.Match(again, path, out _);
            if (confirm != match)
            {
                throw NotFound($"{where} and {where2} disagree about go-import for {match.Prefix}");
            }
        }

        if (!Uri.TryCreate(match.RepoRoot, UriKind.Absolute, out var repoUri) || repoUri.Scheme == "file")
        {
            throw NotFound($"{where}: invalid repo root \"{match.RepoRoot}\"");
        }

        if (match.Vcs is not ("git" or "mod"))
        {
            throw NotFound($"{path}: version control system {match.Vcs} is not supported (only git and mod)");
        }

        return new RepoRoot(match.Prefix, match.Vcs, match.RepoRoot);
    }

    private async Task<(IReadOnlyList<GoImport> Imports, string Where)> FetchImportsAsync(string path, CancellationToken ct)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var host = slash < 0 ? path : path[..slash];
        if (!host.Contains('.', StringComparison.Ordinal))
        {
            throw NotFound($"{path}: import path does not begin with hostname");
        }

        var rest = slash < 0 ? "/" : path[slash..];
        var schemes = insecure.Matches(path) ? new[] { "https", "http" } : ["https"];
        string? lastError = null;
        foreach (var scheme in schemes)
        {
            var url = $"{scheme}://{host}{rest}?go-get=1";
            try
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                cts.CancelAfter(probeTimeout);
                using var req = new HttpRequestMessage(HttpMethod.Get, url);
                if (scheme == "https" && credentials.For(host) is { } cred)
                {
                    req.Headers.Authorization = new AuthenticationHeaderValue("Basic", CredentialSet.BasicValue(cred));
                }

                using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
                var body = await ReadHeadAsync(resp, cts.Token).ConfigureAwait(false);
                var imports = GoImportParser.Parse(body);
                if (imports.Count == 0 && !resp.IsSuccessStatusCode)
                {
                    lastError = $"{url}: {(int)resp.StatusCode} {resp.ReasonPhrase}";
                    continue;
                }

                return (imports, url);
            }
            catch (HttpRequestException e)
            {
                lastError = $"{url}: {e.Message}";
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                lastError = $"{url}: timed out";
            }
        }

        throw NotFound($"unrecognized import path \"{path}\": {credentials.Redactor.Redact(lastError ?? "no response")}");
    }

    private static async Task<string> ReadHeadAsync(HttpResponseMessage resp, CancellationToken ct)
    {
        // Meta tags live in <head>; 1 MiB is more than any real page needs before <body>.
        await using var s = await resp.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var buffer = new byte[1 << 20];
        var n = 0;
        int read;
        while (n < buffer.Length && (read = await s.ReadAsync(buffer.AsMemory(n), ct).ConfigureAwait(false)) > 0)
        {
            n += read;
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, n);
    }

    private static DirectFailureException NotFound(string message) => new(DirectFailureKind.NotFound, message);
}
