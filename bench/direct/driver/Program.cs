using System.Diagnostics;
using System.Globalization;
using Moddock.Modules;
using Moddock.Modules.Zip;
using Moddock.Proxy.Sources.Git;

// bench/direct driver.
//   Moddock.Bench once STORAGE MODULE VERSION
//       one fetch (.info, .mod, .zip) in a fresh process; prints the zip's h1 and the in-process time.
//   Moddock.Bench server STORAGE MODULE RUNS PRIME FIRST_VERSION OTHER_VERSION...
//       a long-running process, like `moddock serve`: after one warm-up, RUNS first fetches (each with an
//       empty mirror store) and RUNS fetches of other versions of an already (completely) mirrored repository.
//       Prints "first ms ms ...", "another ms ms ..." and the git processes started per fetch.
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: Moddock.Bench once STORAGE MODULE VERSION | server STORAGE MODULE RUNS PRIME FIRST OTHER...");
    return 2;
}

var path = ModulePath.Parse(args[2]);
if (args[0] == "once")
{
    var sw = Stopwatch.StartNew();
    using var source = new DirectSource(new DirectSourceOptions { StorageDirectory = args[1] });
    var h1 = await FetchAsync(source, args[1], args[3]);
    Console.WriteLine($"{h1} in-process-ms={sw.Elapsed.TotalMilliseconds:0}");
    return 0;
}

var runs = int.Parse(args[3], CultureInfo.InvariantCulture);
var prime = args[4];
var first = args[5];
var others = args[6..];
var root = args[1];

// Warm-up: JIT every path once, as a running server would have.
using (var warm = new DirectSource(new DirectSourceOptions { StorageDirectory = Path.Combine(root, "warmup") }))
{
    await FetchAsync(warm, Path.Combine(root, "warmup"), first);
    await FetchAsync(warm, Path.Combine(root, "warmup"), others[0]);
}

var firstTimes = new List<double>();
var firstProcesses = new List<double>();
for (var i = 0; i < runs; i++)
{
    var storage = Path.Combine(root, "first-" + i);
    using var source = new DirectSource(new DirectSourceOptions { StorageDirectory = storage });
    var before = source.GitProcessesStarted;
    var sw = Stopwatch.StartNew();
    await FetchAsync(source, storage, first);
    firstTimes.Add(sw.Elapsed.TotalMilliseconds);
    firstProcesses.Add(source.GitProcessesStarted - before);
}

var anotherTimes = new List<double>();
var anotherProcesses = new List<double>();
var mirrored = Path.Combine(root, "mirrored");
using (var source = new DirectSource(new DirectSourceOptions { StorageDirectory = mirrored }))
{
    await FetchAsync(source, mirrored, first);
    // Resolving an untagged commit needs history (a pseudo-version base), which turns the shallow mirror
    // into a complete one: the state of a repository Moddock has been serving for a while.
    var branch = await source.InfoAsync(path, prime, CancellationToken.None);
    if (!branch.IsSuccess)
    {
        throw new InvalidOperationException(branch.Failure.Reason);
    }

    for (var i = 0; i < runs; i++)
    {
        var before = source.GitProcessesStarted;
        var sw = Stopwatch.StartNew();
        await FetchAsync(source, mirrored, others[i % others.Length]);
        anotherTimes.Add(sw.Elapsed.TotalMilliseconds);
        anotherProcesses.Add(source.GitProcessesStarted - before);
    }
}

Console.WriteLine("first " + string.Join(' ', firstTimes.Select(t => t.ToString("0.0", CultureInfo.InvariantCulture))));
Console.WriteLine("another " + string.Join(' ', anotherTimes.Select(t => t.ToString("0.0", CultureInfo.InvariantCulture))));
// git processes Moddock started per fetch (.info + .mod + .zip), long-running cat-file --batch included.
Console.WriteLine("first-processes " + string.Join(' ', firstProcesses));
Console.WriteLine("another-processes " + string.Join(' ', anotherProcesses));
return 0;

async Task<string> FetchAsync(DirectSource source, string storage, string query)
{
    var info = await source.InfoAsync(path, query, CancellationToken.None);
    if (!info.IsSuccess)
    {
        throw new InvalidOperationException(info.Failure.Reason);
    }

    var version = ModuleVersion.Parse(info.Value!.Version);
    var mod = await source.ModAsync(path, version, CancellationToken.None);
    var zipPath = Path.Combine(storage, "bench-" + Guid.NewGuid().ToString("N") + ".zip");
    await using (var zip = File.Create(zipPath))
    {
        var r = await source.ZipAsync(path, version, zip, CancellationToken.None);
        if (!r.IsSuccess || !mod.IsSuccess)
        {
            throw new InvalidOperationException(r.Failure?.Reason ?? mod.Failure?.Reason);
        }
    }

    var h1 = DirHash.HashZip(zipPath);
    File.Delete(zipPath);
    return h1;
}
