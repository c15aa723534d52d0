using System.Diagnostics;
using Moddock.Modules;
using Moddock.Proxy.Sources.Git;

// Usage: Moddock.Bench STORAGE MODULE VERSION
// Fetches .info, .mod and .zip of MODULE@VERSION through DirectSource, the way `go mod download` does.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Moddock.Bench STORAGE MODULE VERSION");
    return 2;
}

var sw = Stopwatch.StartNew();
using var source = new DirectSource(new DirectSourceOptions { StorageDirectory = args[0] });
var path = ModulePath.Parse(args[1]);
var info = await source.InfoAsync(path, args[2], CancellationToken.None);
if (!info.IsSuccess)
{
    Console.Error.WriteLine(info.Failure.Reason);
    return 1;
}

var version = ModuleVersion.Parse(info.Value!.Version);
var mod = await source.ModAsync(path, version, CancellationToken.None);
var zipPath = Path.Combine(args[0], "bench-" + Environment.ProcessId + ".zip");
long size;
await using (var zip = File.Create(zipPath))
{
    var r = await source.ZipAsync(path, version, zip, CancellationToken.None);
    if (!r.IsSuccess || !mod.IsSuccess)
    {
        Console.Error.WriteLine(r.Failure?.Reason ?? mod.Failure?.Reason);
        return 1;
    }

    size = r.Value;
}

File.Delete(zipPath);
Console.WriteLine($"{version} zip={size} in-process-ms={sw.Elapsed.TotalMilliseconds:0}");
return 0;
