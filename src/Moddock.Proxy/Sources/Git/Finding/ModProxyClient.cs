using System.Net;
using System.Net.Http.Headers;
using Moddock.Modules;
using Moddock.Proxy.Sources.Git.Credentials;

namespace Moddock.Proxy.Sources.Git.Finding;

/// <summary>
/// A go-import meta tag with vcs "mod" says: this module is served by the GOPROXY at that URL.
/// This is the minimal GOPROXY client that follows such a hand-off (plain GETs, 404/410 → not found).
/// </summary>
internal sealed class ModProxyClient(HttpClient http, CredentialSet credentials)
{
    public async Task<IReadOnlyList<string>> ListAsync(string baseUrl, string path, CancellationToken ct)
    {
        var body = await GetAsync(baseUrl, path, "@v/list", ct).ConfigureAwait(false);
        return System.Text.Encoding.UTF8.GetString(body)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ')[0])
            .Where(v => Semver.IsValid(v) && !PseudoVersion.IsPseudo(v))
            .ToList();
    }

    public async Task<string> InfoAsync(string baseUrl, string path, string query, CancellationToken ct) =>
        System.Text.Encoding.UTF8.GetString(await GetAsync(baseUrl, path, "@v/" + EscapeVersion(query) + ".info", ct).ConfigureAwait(false));

    public async Task<string> LatestAsync(string baseUrl, string path, CancellationToken ct) =>
        System.Text.Encoding.UTF8.GetString(await GetAsync(baseUrl, path, "@latest", ct).ConfigureAwait(false));

    public Task<byte[]> ModAsync(string baseUrl, string path, string version, CancellationToken ct) =>
        GetAsync(baseUrl, path, "@v/" + EscapeVersion(version) + ".mod", ct);

    public async Task<long> ZipAsync(string baseUrl, string path, string version, Stream destination, CancellationToken ct)
    {
        using var resp = await SendAsync(baseUrl, path, "@v/" + EscapeVersion(version) + ".zip", ct).ConfigureAwait(false);
        await using var s = await resp.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = await s.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            total += n;
            if (total > Versions.ModuleRepo.MaxZipFile)
            {
                throw new DirectFailureException(DirectFailureKind.TooLarge, $"{path}@{version}: zip larger than {Versions.ModuleRepo.MaxZipFile} bytes");
            }

            await destination.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
        }

        return total;
    }

    private async Task<byte[]> GetAsync(string baseUrl, string path, string rest, CancellationToken ct)
    {
        using var resp = await SendAsync(baseUrl, path, rest, ct).ConfigureAwait(false);
        return await resp.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(string baseUrl, string path, string rest, CancellationToken ct)
    {
        if (!ModuleEscaping.TryEscapePath(path, out var escaped, out var error))
        {
            throw new DirectFailureException(DirectFailureKind.Invalid, error!.Message);
        }

        var url = new Uri(baseUrl.TrimEnd('/') + "/" + escaped + "/" + rest);
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
