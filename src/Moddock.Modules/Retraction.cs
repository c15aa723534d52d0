namespace Moddock.Modules;

/// <summary>
/// A go.mod <c>retract</c> entry: a single version (Low == High) or the closed interval [Low, High], with the
/// directive's comments as the rationale (null when there are none).
/// </summary>
public sealed record Retraction(string Low, string High, string? Rationale)
{
    public bool Contains(string version) => Semver.Compare(Low, version) <= 0 && Semver.Compare(version, High) <= 0;
}
