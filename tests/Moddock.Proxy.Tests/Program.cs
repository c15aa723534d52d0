using Moddock.Modules;

namespace Moddock.Proxy.Tests;

/// <summary>
/// Entry point of the test assembly, used only as a child process: HttpClient reads HTTP(S)_PROXY and NO_PROXY
/// once per process, so checking that upstream traffic honours them needs a process with its own environment.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["proxy-env-probe", var upstream, var storage, var module, var version])
        {
            return 2;
        }

        Assert.True(GoProxyList.TryParse(upstream, out var entries, out _));
        var options = new ModuleProxyOptions { Upstreams = entries };

        // Exactly the one request asked for reaches the upstream (the tests count them): no read-ahead.
        options.Resolver.Prefetch = PrefetchKinds.None;
        options.Storage.Root = storage;
        using var proxy = ModuleProxy.Create(options);
        var r = await proxy.Resolver.ResolveAsync(new ModuleRequest(ModulePath.Parse(module), ArtifactKind.Mod, version), CancellationToken.None);
        Console.WriteLine($"{r.Outcome} {r.Reason}");
        return r.Outcome == ResolveOutcome.Found ? 0 : 1;
    }
}
