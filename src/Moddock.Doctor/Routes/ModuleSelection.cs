using Moddock.Doctor.Reporting;
using Moddock.Modules;

namespace Moddock.Doctor.Routes;

/// <summary>
/// The modules the doctor reasons about: those given with --module, else the requirements of ./go.mod.
/// go.mod is read with <see cref="GoModFile"/>, exactly as the go command reads it (modfile.ParseLax).
/// </summary>
internal sealed record ModuleSelection(IReadOnlyList<string> Modules, string Source, DoctorCheck? Problem)
{
    public const string WellKnownModule = "golang.org/x/text";

    public static ModuleSelection From(IReadOnlyList<string> given, string workingDirectory)
    {
        if (given.Count > 0)
        {
            return new ModuleSelection(given.Distinct(StringComparer.Ordinal).ToList(), "--module", null);
        }

        var path = Path.Combine(workingDirectory, "go.mod");
        if (!File.Exists(path))
        {
            return new ModuleSelection([], "none (no --module, no go.mod here)", null);
        }

        byte[] data;
        try
        {
            if (new FileInfo(path).Length > 16 * 1024 * 1024)
            {
                return new ModuleSelection([], path, ProblemCheck(path, "larger than 16 MiB; the go command would refuse it"));
            }

            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ModuleSelection([], path, ProblemCheck(path, "cannot read it: " + e.Message));
        }

        if (!GoModFile.TryParse(data, out var file, out var error))
        {
            return new ModuleSelection([], path, ProblemCheck(path, "does not parse: " + error!.Message.Split('\n')[0]));
        }

        var modules = file!.Requires.Select(r => r.Path).ToList();
        return new ModuleSelection(modules.Distinct(StringComparer.Ordinal).ToList(), path, null);
    }

    private static DoctorCheck ProblemCheck(string path, string what) =>
        new("go.mod", path, Where.Local, CheckStatus.Warn, null, $"{path}: {what}; routes are shown for --module paths only", "go mod edit -fmt", 0);
}
