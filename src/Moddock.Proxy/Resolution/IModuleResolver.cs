namespace Moddock.Proxy;

/// <summary>Answers GOPROXY requests: from the store, or by fetching, verifying and storing.</summary>
public interface IModuleResolver
{
    Task<ResolveResult> ResolveAsync(ModuleRequest request, CancellationToken ct);
}
