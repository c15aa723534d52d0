using System.Text.Json.Serialization;

namespace Moddock.Server.Health;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReadyzReport))]
internal sealed partial class HealthJson : JsonSerializerContext;
