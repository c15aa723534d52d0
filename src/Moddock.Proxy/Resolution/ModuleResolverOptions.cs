namespace Moddock.Proxy;

/// <summary>Cache behaviour of the resolver. Every default is documented on its property.</summary>
public sealed class ModuleResolverOptions
{
    /// <summary>Serve from the store only: list/@latest from what is stored, anything else not found at once. Default false.</summary>
    public bool Offline { get; set; }

    /// <summary>How long a stored list/@latest is served without asking upstream. Default 60 s.</summary>
    public TimeSpan ListTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a not-found answer is remembered. Default 60 s; zero disables it.</summary>
    public TimeSpan NotFoundTtl { get; set; } = TimeSpan.FromSeconds(60);
}
