using System.Text.Json.Serialization;

namespace Moddock.Server.Health;

internal sealed record ReadyzReport(bool Ready, StorageReport Storage, bool Offline, IReadOnlyList<UpstreamStatus> Upstreams);

internal sealed record StorageReport(string Path, bool Writable, string? Problem);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReadyzReport))]
internal sealed partial class HealthJson : JsonSerializerContext;
