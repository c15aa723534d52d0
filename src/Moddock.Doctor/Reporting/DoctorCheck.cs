namespace Moddock.Doctor.Reporting;

/// <summary>
/// One line of the doctor's report. <see cref="Cause"/> and <see cref="Where"/> use the ids of
/// diagnosis-causes.md; <see cref="Details"/> are shown with -v only and never in JSON.
/// </summary>
internal sealed record DoctorCheck(
    string Name,
    string? Target,
    string? Where,
    CheckStatus Status,
    string? Cause,
    string Detail,
    string? Fix,
    double ElapsedMs)
{
    public IReadOnlyList<string> Details { get; init; } = [];

    public static DoctorCheck Ok(string name, string? target, string detail, double elapsedMs = 0, string? where = null) =>
        new(name, target, where, CheckStatus.Ok, null, detail, null, elapsedMs);
}
