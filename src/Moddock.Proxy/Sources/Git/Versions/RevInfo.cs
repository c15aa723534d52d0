namespace Moddock.Proxy.Sources.Git.Versions;

/// <summary>A resolved module version: what .info says, plus the commit it names.</summary>
internal sealed record RevInfo(string Version, DateTimeOffset Time, string Hash);
