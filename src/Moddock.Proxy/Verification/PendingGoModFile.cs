using System.Text;
using Moddock.Modules;

namespace Moddock.Proxy.Verification;

/// <summary>
/// Stand-in for Moddock.Modules.GoModFile until branch `modules` provides it: reads only the module
/// directive. Replaced by GoModFile.TryParse at merge time.
/// </summary>
internal sealed class PendingGoModFile
{
    private PendingGoModFile(string? modulePath) => ModulePath = modulePath;

    public string? ModulePath { get; }

    public static bool TryParse(ReadOnlySpan<byte> content, out PendingGoModFile? file, out ModuleError? error)
    {
        file = null;
        error = null;
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            error = new ModuleError(ModuleErrorKind.GoModInvalid, "go.mod is not valid UTF-8");
            return false;
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw;
            var comment = line.IndexOf("//", StringComparison.Ordinal);
            if (comment >= 0)
            {
                line = line[..comment];
            }

            line = line.Trim();
            if (line.StartsWith("module", StringComparison.Ordinal) && line.Length > 6 && char.IsWhiteSpace(line[6]))
            {
                var path = line[6..].Trim().Trim('"', '`');
                file = new PendingGoModFile(path);
                return true;
            }
        }

        file = new PendingGoModFile(null);
        return true;
    }
}
