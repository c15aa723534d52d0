namespace Moddock.Doctor.Settings;

internal sealed record GoSetting(string Name, string Value, SettingOrigin Origin, string OriginDetail);
