namespace Moddock.Proxy.Sources;

/// <summary>A <c>.info</c> / <c>@latest</c> answer.</summary>
/// <param name="RawJson">The bytes to store and serve, exactly as the source sent them.</param>
public sealed record VersionInfo(string Version, DateTimeOffset? Time, string RawJson);
