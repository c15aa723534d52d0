using System.Net;
using System.Net.Http.Headers;
using Moddock.Modules;
using Moddock.Proxy.Sources.Git.Credentials;

namespace Moddock.Proxy.Sources.Git.Finding;

/// <summary>
/// A go-import meta tag with vcs "mod" says: this module is served by the GOPROXY at that URL.
/// This is the minimal GOPROXY client that follows such a hand-off (plain GETs, 404/410 → not found).
/// Any module author can name such a proxy, so it is not trusted: every request, body included, is
/// bounded by the git timeout (like a git command), and every body by a size.
/// </summary>
internal sealed class ModProxyClient(HttpClient http, CredentialSet credentials, TimeSpan timeout)
{
    // A list of a few thousand versions and a JSON object are far below these; a go.mod has cmd/go's limit.
    private const long MaxList = 16 << 20;
    private const long MaxInfo = 1 << 20;

    public async Task<IReadOnlyList<string>> ListAsync(string baseUrl, string path, CancellationToken ct)
    {
        var body = await GetAsync(baseUrl, path, "@v/list", MaxList, ct).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(body)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ')[0])
            .Where(v => Semver.IsValid(v) && !PseudoVersion.IsPseudo(v))
            .ToList();
    }

    public async Task<string> InfoAsync(string baseUrl, string path, string query, CancellationToken ct) =>
        System.Text.Encoding.UTF8.GetString(await GetAsync(baseUrl, path, "@v/" + EscapeVersion(query) + ".info", MaxInfo, ct).ConfigureAwait(false));

    public async Task<string> LatestAsync(string baseUrl, string path, CancellationToken ct) =>
        System.Text.Encoding.UTF8.GetString(await GetAsync(baseUrl, path, "@latest", MaxInfo, ct).ConfigureAwait(false));

    public Task<byte[]> ModAsync(string baseUrl, string path, string version, CancellationToken ct) =>
        GetAsync(baseUrl, path, "@v/" + EscapeVersion(version) + ".mod", Versions.ModuleRepo.MaxGoMod, ct);

    public Task<long> ZipAsync(string baseUrl, string path, string version, Stream destination, CancellationToken ct) =>
        TransferAsync(baseUrl, path, "@v/" + EscapeVersion(version) + ".zip", Versions.ModuleRepo.MaxZipFile, destination, ct);

    private async Task<byte[]> GetAsync(string baseUrl, string path, string rest, long max, CancellationToken ct)
    {
        using var body = new MemoryStream();
        await TransferAsync(baseUrl, path, rest, max, body, ct).ConfigureAwait(false);
        return body.ToArray();
    }

    /// <summary>One GET, its body copied to destination: at most max bytes, all within the timeout.</summary>
    private async Task<long> TransferAsync(string baseUrl, string path, string rest, long max, Stream destination, CancellationToken ct)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        var host = "";
        try
        {
            using var resp = await SendAsync(baseUrl, path, rest, h => host = h, bounded.Token).ConfigureAwait(false);
            await using var s = await resp.Content.ReadAsStreamAsync(bounded.Token).ConfigureAwait(false);
            var buffer = new byte[81920];
            long total = 0;
            int n;
            while ((n = await s.ReadAsync(buffer, bounded.Token).ConfigureAwait(false)) > 0)
            {
                total += n;
                if (total > max)
                {
                    throw new DirectFailureException(DirectFailureKind.TooLarge, $"{host}: {path} {rest}: response larger than {max} bytes");
                }

                await destination.WriteAsync(buffer.AsMemory(0, n), bounded.Token).ConfigureAwait(false);
            }

            return total;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DirectFailureException(DirectFailureKind.Timeout, $"{host}: {path} {rest}: mod proxy did not answer within {timeout.TotalSeconds:0.#}s");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new DirectFailureException(DirectFailureKind.Other, $"{host}: {path} {rest}: {credentials.Redactor.Redact(e.Message)}");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string baseUrl, string path, string rest, Action<string> named, CancellationToken ct)
    {
        if (!ModuleEscaping.TryEscapePath(path, out var escaped, out var error))
        {
            throw new DirectFailureException(DirectFailureKind.Invalid, error!.Message);
        }

        var url = new Uri(baseUrl.TrimEnd('/') + "/" + escaped + "/" + rest);
        named(url.Host);
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        if (url.Scheme == Uri.UriSchemeHttps && credentials.For(url.Host) is { } c)
        {
            req.Headers.Authorization = new AuthenticationHeaderValue("Basic", CredentialSet.BasicValue(c));
        }

        HttpResponseMessage resp;
        try
        {
            resp = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new DirectFailureException(DirectFailureKind.Other, $"{url.Host}: {credentials.Redactor.Redact(e.Message)}");
        }

        if (resp.IsSuccessStatusCode)
        {
            return resp;
        }

        var status = resp.StatusCode;
        resp.Dispose();
        throw status switch
        {
            HttpStatusCode.NotFound or HttpStatusCode.Gone => new DirectFailureException(DirectFailureKind.NotFound, $"{url.Host}: {path} {rest}: not found"),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new DirectFailureException(DirectFailureKind.AuthRequired, $"{url.Host}: credentials were refused or are missing ({(int)status})"),
            _ => new DirectFailureException(DirectFailureKind.Other, $"{url.Host}: {path} {rest}: status {(int)status}"),
        };
    }

    private static string EscapeVersion(string v) => ModuleEscaping.TryEscapeVersion(v, out var e, out _) ? e : v;
}
