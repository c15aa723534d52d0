using Microsoft.Extensions.DependencyInjection;
using Moddock.Proxy;
using Moddock.Server.Configuration;
using Moddock.Sumdb;

namespace Moddock.Commands;

/// <summary>Wires the proxy pipeline (Moddock.Proxy) and the checksum database behind the server from the serve options.</summary>
internal static class ServePipeline
{
    public static void Add(IServiceCollection services, ServeOptions options, SumdbComponents checksums)
    {
        _ = options;
        services.AddSingleton<ISumdbEndpoint>(checksums.Endpoint);
        services.AddSingleton<IModuleResolver, PipelineNotBuilt>();
    }

    /// <summary>Answers until the `proxy` branch's resolver is merged in.</summary>
    private sealed class PipelineNotBuilt : IModuleResolver
    {
        public Task<ResolveResult> ResolveAsync(ModuleRequest request, CancellationToken ct) =>
            Task.FromResult(ResolveResult.Failed(ResolveOutcome.UpstreamFailed, "the proxy pipeline is not built into this moddock yet"));
    }
}
