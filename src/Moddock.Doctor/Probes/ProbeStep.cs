using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Probes;

/// <summary>One independent probe of the plan; steps run concurrently.</summary>
internal sealed record ProbeStep(string Label, string Where, bool NeedsTls, Func<ProbeContext, Func<string, string?>, CancellationToken, Task<List<DoctorCheck>>> Body)
{
    public Task<List<DoctorCheck>> Run(ProbeContext ctx, Func<string, string?> env, CancellationToken ct) => Task.Run(() => Body(ctx, env, ct), ct);
}
