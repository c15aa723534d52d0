using System.Diagnostics;
using System.Globalization;
using Moddock.Modules;
using Moddock.Modules.Zip;
using Moddock.Proxy.Sources.Git;

// bench/direct driver.
//   Moddock.Bench once STORAGE MODULE VERSION
//       one fetch (.info, .mod, .zip) in a fresh process; prints the zip's h1 and the in-process time.
//   Moddock.Bench server STORAGE MODULE RUNS PRIME FIRST_VERSION OTHER_VERSION...
//       a long-running process, like `moddock serve`: after one warm-up, RUNS rounds, each timing
//       `GOPROXY=direct go mod download` (fresh GOMODCACHE under $BENCH_GO_WORK) and Moddock back to back:
//       a first fetch (empty mirror store) and another version of an already (completely) mirrored repository.
//       Prints "first ms ...", "another ms ...", "go-first ms ...", "go-another ms ..." and the git
//       processes Moddock started per fetch.
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

// Side by side: every round times the go command and Moddock back to back, so both see the same load
// on a shared machine; the report uses the per-round ratios.
var goWork = Environment.GetEnvironmentVariable("BENCH_GO_WORK")
    ?? throw new InvalidOperationException("BENCH_GO_WORK (a working directory for the go command) is required");
RunGo(first); // go's own warm-up (build cache, first exec)
var mirrored = Path.Combine(root, "mirrored");
using var mirroredSource = new DirectSource(new DirectSourceOptions { StorageDirectory = mirrored });
await FetchAsync(mirroredSource, mirrored, first);
// Resolving an untagged commit needs history (a pseudo-version base), which turns the shallow mirror
// into a complete one: the state of a repository Moddock has been serving for a while.
var branch = await mirroredSource.InfoAsync(path, prime, CancellationToken.None);
if (!branch.IsSuccess)
{
    throw new InvalidOperationException(branch.Failure.Reason);
}

var firstTimes = new List<double>();
var firstProcesses = new List<double>();
var goFirstTimes = new List<double>();
var anotherTimes = new List<double>();
var anotherProcesses = new List<double>();
var goAnotherTimes = new List<double>();
var shallowTimes = new List<double>();
var shallowProcesses = new List<double>();
for (var i = 0; i < runs; i++)
{
    goFirstTimes.Add(RunGo(first));

    var storage = Path.Combine(root, "first-" + i);
    using (var source = new DirectSource(new DirectSourceOptions { StorageDirectory = storage }))
    {
        var before = source.GitProcessesStarted;
        var sw = Stopwatch.StartNew();
        await FetchAsync(source, storage, first);
        firstTimes.Add(sw.Elapsed.TotalMilliseconds);
        firstProcesses.Add(source.GitProcessesStarted - before);

        // For the record: a second version right after, while the mirror is still shallow.
        before = source.GitProcessesStarted;
        sw.Restart();
        await FetchAsync(source, storage, others[(i + 1) % others.Length]);
        shallowTimes.Add(sw.Elapsed.TotalMilliseconds);
        shallowProcesses.Add(source.GitProcessesStarted - before);
    }

    var other = others[i % others.Length];
    goAnotherTimes.Add(RunGo(other));
    var before2 = mirroredSource.GitProcessesStarted;
    var sw2 = Stopwatch.StartNew();
    await FetchAsync(mirroredSource, mirrored, other);
    anotherTimes.Add(sw2.Elapsed.TotalMilliseconds);
    anotherProcesses.Add(mirroredSource.GitProcessesStarted - before2);
}

Console.WriteLine("go-first " + string.Join(' ', goFirstTimes.Select(t => t.ToString("0.0", CultureInfo.InvariantCulture))));
Console.WriteLine("go-another " + string.Join(' ', goAnotherTimes.Select(t => t.ToString("0.0", CultureInfo.InvariantCulture))));
Console.WriteLine("first " + string.Join(' ', firstTimes.Select(t => t.ToString("0.0", CultureInfo.InvariantCulture))));
Console.WriteLine("another " + string.Join(' ', anotherTimes.Select(t => t.ToString("0.0", CultureInfo.InvariantCulture))));
// git processes Moddock started per fetch (.info + .mod + .zip), long-running cat-file --batch included.
Console.WriteLine("shallow " + string.Join(' ', shallowTimes.Select(t => t.ToString("0.0", CultureInfo.InvariantCulture))));
Console.WriteLine("shallow-processes " + string.Join(' ', shallowProcesses));
Console.WriteLine("first-processes " + string.Join(' ', firstProcesses));
Console.WriteLine("another-processes " + string.Join(' ', anotherProcesses));
return 0;

// `GOPROXY=direct go mod download -json M@V` with a fresh GOMODCACHE (the rest of go's environment comes
// from run.sh); wall time from start to exit, like hyperfine.
double RunGo(string version)
{
    var cache = Path.Combine(goWork, "gomodcache");
    if (Directory.Exists(cache))
    {
        foreach (var f in Directory.EnumerateFileSystemEntries(cache, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(f, FileAttributes.Normal);
        }

        Directory.Delete(cache, recursive: true);
    }

    var psi = new ProcessStartInfo("go", ["mod", "download", "-json", path.Value + "@" + version])
    {
        WorkingDirectory = goWork,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
    };
    psi.Environment["GOMODCACHE"] = cache;
    var sw = Stopwatch.StartNew();
    using var p = Process.Start(psi)!;
    var stdout = p.StandardOutput.ReadToEndAsync();
    var stderr = p.StandardError.ReadToEndAsync();
    if (!p.WaitForExit(120_000))
    {
        p.Kill(entireProcessTree: true);
        throw new InvalidOperationException("go mod download timed out");
    }

    var ms = sw.Elapsed.TotalMilliseconds;
    if (p.ExitCode != 0 || stdout.Result.Contains("\"Error\"", StringComparison.Ordinal))
    {
        throw new InvalidOperationException("go mod download failed: " + stdout.Result + stderr.Result);
    }

    return ms;
}

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
