namespace Moddock.Doctor.Settings;

/// <summary>Where an effective Go setting came from, in the go command's order of precedence.</summary>
internal enum SettingOrigin
{
    Environment,
    GoEnvFile,
    GoCommand,
    Default,
    Unset,
}
