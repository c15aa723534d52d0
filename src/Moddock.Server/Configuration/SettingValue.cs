namespace Moddock.Server.Configuration;

/// <summary>A raw setting and the source it came from ("flag --listen", "env MODDOCK_LISTEN", "file moddock.yaml:3").</summary>
public sealed record SettingValue(string Value, string Source);
