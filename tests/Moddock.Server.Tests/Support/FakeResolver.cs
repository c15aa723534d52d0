using System.Collections.Concurrent;
using Moddock.Proxy;

namespace Moddock.Server.Tests.Support;

/// <summary>An IModuleResolver that records every request and answers what the test says.</summary>
internal sealed class FakeResolver : IModuleResolver
{
    public ConcurrentQueue<ModuleRequest> Requests { get; } = new();

    public Func<ModuleRequest, ResolveResult> Answer { get; set; } =
        r => ResolveResult.Failed(ResolveOutcome.NotFound, $"not found: {r.Path.Value} (fake)");

    public Task<ResolveResult> ResolveAsync(ModuleRequest request, CancellationToken ct)
    {
        Requests.Enqueue(request);
        return Task.FromResult(Answer(request));
    }
}
