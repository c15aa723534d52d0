using System.Text.RegularExpressions;
using Moddock.Doctor.Reporting;
using Moddock.Modules;

namespace Moddock.Doctor.Routes;

/// <summary>
/// The modules the doctor reasons about: those given with --module, else the requirements of ./go.mod.
/// go.mod is validated with <see cref="GoModFile"/>; its require lines are listed by a small scan because
/// GoModFile exposes no requirements yet.
/// </summary>
internal sealed partial record ModuleSelection(IReadOnlyList<string> Modules, string Source, DoctorCheck? Problem)
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

        if (!GoModFile.TryParse(data, out _, out var error))
        {
            return new ModuleSelection([], path, ProblemCheck(path, "does not parse: " + error!.Message.Split('\n')[0]));
        }

        var modules = new List<string>();
        var inBlock = false;
        foreach (var raw in System.Text.Encoding.UTF8.GetString(data).Split('\n'))
        {
            var line = raw.Split("//")[0].Trim();
            if (inBlock)
            {
                if (line.StartsWith(')'))
                {
                    inBlock = false;
                    continue;
                }

                AddRequirement(line, modules);
            }
            else if (RequireBlock().IsMatch(line))
            {
                inBlock = true;
            }
            else if (line.StartsWith("require ", StringComparison.Ordinal) || line.StartsWith("require\t", StringComparison.Ordinal))
            {
                AddRequirement(line[8..].Trim(), modules);
            }
        }

        return new ModuleSelection(modules.Distinct(StringComparer.Ordinal).ToList(), path, null);
    }

    private static void AddRequirement(string line, List<string> modules)
    {
        var f = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (f.Length >= 2)
        {
            modules.Add(f[0].Trim('"', '`'));
        }
    }

    private static DoctorCheck ProblemCheck(string path, string what) =>
        new("go.mod", path, Where.Local, CheckStatus.Warn, null, $"{path}: {what}; routes are shown for --module paths only", "go mod edit -fmt", 0);

    [GeneratedRegex(@"^require\s*\($")]
    private static partial Regex RequireBlock();
}
