using System.Net;
using Moddock.Testing;

namespace Moddock.Sumdb.Tests.Support;

/// <summary>A tiny HTTP host on 127.0.0.1 that maps /sumdb/NAME/REST to an <see cref="ISumdbEndpoint"/> (as Moddock.Server will).</summary>
internal sealed class LoopbackSumdbHost : IDisposable
{
    private HttpListener _listener = new();
    private readonly Task _loop;

    private readonly string? _files;

    /// <param name="files">When set, other paths are served from this directory (a file-layout GOPROXY).</param>
    public LoopbackSumdbHost(ISumdbEndpoint endpoint, string? files = null)
    {
        _files = files;
        // A port that was free a moment ago may be taken by a parallel test's server: try a few.
        for (var attempt = 0; ; attempt++)
        {
            BaseUrl = $"http://127.0.0.1:{FreePort.Next()}";
            _listener.Prefixes.Add(BaseUrl + "/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                _listener = new HttpListener(); // a failed Start disposes the listener
            }
        }

        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try
                {
                    ctx = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                _ = Task.Run(() => ServeAsync(endpoint, ctx));
            }
        });
    }

    public string BaseUrl { get; private set; } = "";

    public int Requests;

    public List<string> Paths { get; } = [];

    private async Task ServeAsync(ISumdbEndpoint endpoint, HttpListenerContext ctx)
    {
        Interlocked.Increment(ref Requests);
        var path = ctx.Request.RawUrl ?? "/";
        lock (Paths)
        {
            Paths.Add(path);
        }

        var parts = path.Split('/', 4);
        SumdbResponse r;
        if (parts.Length < 4 || parts[1] != "sumdb")
        {
            var file = _files is null ? null : Path.Combine(_files, Uri.UnescapeDataString(path.TrimStart('/')));
            r = file is not null && !path.Contains("..", StringComparison.Ordinal) && File.Exists(file)
                ? new SumdbResponse(200, "application/octet-stream", File.ReadAllBytes(file), false)
                : new SumdbResponse(404, "text/plain", "not found\n"u8.ToArray(), false);
        }
        else
        {
            // NAME may contain '/': the endpoint's name is the part before the first known verb.
            var rest = parts[2] + "/" + parts[3];
            var cut = new[] { "/lookup/", "/tile/", "/latest", "/supported" }.Select(v => rest.IndexOf(v, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();
            r = cut < 0
                ? new SumdbResponse(404, "text/plain", "not found\n"u8.ToArray(), false)
                : await endpoint.HandleAsync(rest[..cut], rest[(cut + 1)..], CancellationToken.None);
        }

        ctx.Response.StatusCode = r.Status;
        ctx.Response.ContentType = r.ContentType;
        ctx.Response.ContentLength64 = r.Body.Length;
        await ctx.Response.OutputStream.WriteAsync(r.Body);
        ctx.Response.Close();
    }

    public void Dispose()
    {
        // Close alone: Stop first frees the port, and Close then fails if a parallel test has just bound it.
        try
        {
            _listener.Close();
        }
        catch (HttpListenerException)
        {
        }

        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
