namespace Moddock.Doctor;

/// <summary>What `moddock doctor` was asked: modules to reason about, the total time budget, where to look for go.mod, and the environment.</summary>
internal sealed record DoctorOptions(IReadOnlyList<string> Modules, TimeSpan Timeout, string WorkingDirectory, Func<string, string?> Environment, TimeProvider Time)
{
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(15);
}
