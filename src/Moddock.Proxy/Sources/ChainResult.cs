namespace Moddock.Proxy.Sources;

/// <summary>What the chain got, and from which source (null when no source was asked).</summary>
internal sealed record ChainResult<T>(SourceResult<T> Result, string? Source);
