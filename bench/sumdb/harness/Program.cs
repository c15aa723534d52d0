using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Moddock.Modules;
using Moddock.Modules.Zip;
using Moddock.Sumdb;

// A stand-in for `moddock serve` until its /sumdb/ route and --sumdb wiring land: serves a file-layout
// GOPROXY from FILES on 127.0.0.1:PORT and, with --sumdb VALUE, checks every .mod/.zip against the checksum
// database (cold storage) before serving it, and serves /sumdb/NAME/ for the go client.
// usage: sumdb-bench-harness PORT FILES STORAGE [--sumdb VALUE]
var port = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var files = args[1];
var storage = args[2];
var gosumdb = args.Length > 4 && args[3] == "--sumdb" ? args[4] : "off";
using var http = new HttpClient();
var (components, error) = await SumdbSetup.CreateAsync(new SumdbOptions { GoSumdb = gosumdb, StorageDir = storage }, http, NullLoggerFactory.Instance, default);
if (components is null)
{
    Console.Error.WriteLine(error);
    return 2;
}

var verified = new ConcurrentDictionary<string, Task<bool>>();
using var listener = new HttpListener();
listener.Prefixes.Add($"http://127.0.0.1:{port}/");
listener.Start();
Console.WriteLine($"http://127.0.0.1:{port}");
Console.Out.Flush();
while (true)
{
    var ctx = await listener.GetContextAsync();
    _ = Task.Run(async () =>
    {
        var path = ctx.Request.RawUrl ?? "/";
        try
        {
            if (path.StartsWith("/sumdb/", StringComparison.Ordinal) && SumdbRequestPath.TrySplit(path["/sumdb/".Length..], out var name, out var rest))
            {
                var r = await components.Endpoint.HandleAsync(name, rest, default);
                await Reply(ctx, r.Status, r.Body);
                return;
            }

            var file = Path.Combine(files, Uri.UnescapeDataString(path.TrimStart('/')));
            if (path.Contains("..", StringComparison.Ordinal) || !File.Exists(file))
            {
                await Reply(ctx, 404, "not found\n"u8.ToArray());
                return;
            }

            if (components.PublicVerifier is not null && (path.EndsWith(".zip", StringComparison.Ordinal) || path.EndsWith(".mod", StringComparison.Ordinal))
                && !await verified.GetOrAdd(path, _ => VerifyAsync(components.PublicVerifier, path, file)))
            {
                await Reply(ctx, 403, "checksum verification failed\n"u8.ToArray());
                return;
            }

            await Reply(ctx, 200, await File.ReadAllBytesAsync(file));
        }
        catch (Exception e) when (e is IOException or HttpListenerException)
        {
            ctx.Response.Abort();
        }
    });
}

static async Task<bool> VerifyAsync(IChecksumVerifier v, string path, string file)
{
    var at = path.IndexOf("/@v/", StringComparison.Ordinal);
    var ver = Path.GetFileNameWithoutExtension(path[(at + 4)..]);
    if (!ModulePath.TryUnescape(path[1..at], out var mp, out _) || !ModuleVersion.TryUnescape(ver, out var mv, out _))
    {
        return false;
    }

    var r = path.EndsWith(".zip", StringComparison.Ordinal)
        ? await v.VerifyAsync(mp, mv, DirHash.HashZip(file), null, default)
        : await v.VerifyAsync(mp, mv, null, DirHash.HashGoMod(await File.ReadAllBytesAsync(file)), default);
    return r.Outcome == VerifyOutcome.Verified;
}

static async Task Reply(HttpListenerContext ctx, int status, byte[] body)
{
    ctx.Response.StatusCode = status;
    ctx.Response.ContentLength64 = body.Length;
    await ctx.Response.OutputStream.WriteAsync(body);
    ctx.Response.Close();
}
