namespace Moddock.Doctor.Reporting;

internal sealed record DoctorReport(IReadOnlyList<DoctorCheck> Checks)
{
    /// <summary>True when nothing failed: warnings do not fail the run.</summary>
    public bool Ok => Checks.All(c => c.Status != CheckStatus.Fail);
}
