using Moddock.Proxy.Sources.Git;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Git;

/// <summary>Builds the scenario repositories, asks the go command once for everything, and opens a DirectSource.</summary>
public sealed class DirectVsGoFixture : IDisposable
{
    public DirectVsGoFixture()
    {
        Scenarios.Build(DirectExampleHost.Root);
        var temp = TestEnvironment.NewTempDir("go-direct");
        GoResults = GoDirect.Download(DirectScenarios.Queries.Select(q => (q.Module, Scenarios.Resolve(q.Query))), temp);

        // Ask again with the pseudo-versions go computed (and one with a wrong hash), to compare validation.
        PseudoQueries = GoResults.Values.Where(g => g.Version is { } v && Moddock.Modules.PseudoVersion.IsPseudo(v))
            .Select(g => (g.Path, g.Version!))
            .Distinct()
            .ToList();
        if (PseudoQueries.Count > 0)
        {
            var (p, v) = PseudoQueries[0];
            PseudoQueries.Add((p, v[..^12] + "0123456789ab"));
        }

        if (PseudoQueries.Count > 0)
        {
            foreach (var kv in GoDirect.Download(PseudoQueries, temp))
            {
                GoResults[kv.Key] = kv.Value;
            }
        }

        File.WriteAllLines(Path.Combine(temp, "go-results.txt"), GoResults.Values.Select(g => g.ToString()));

        GoLists = GoDirect.ListVersions(DirectScenarios.Modules, temp);
        Storage = TestEnvironment.NewTempDir("direct-mirrors");
        Source = new DirectSource(new DirectSourceOptions { StorageDirectory = Storage, RefreshInterval = TimeSpan.Zero });
    }

    internal DirectScenarios Scenarios { get; } = new();

    internal Dictionary<string, GoDownload> GoResults { get; }

    internal List<(string Module, string Query)> PseudoQueries { get; }

    internal Dictionary<string, string[]?> GoLists { get; }

    internal string Storage { get; }

    internal DirectSource Source { get; }

    public void Dispose() => Source.Dispose();
}
