using Moddock.Modules.GoMod;
using Moddock.Modules.Text;

namespace Moddock.Modules;

/// <summary>
/// The parts of a go.mod file a proxy needs (module path, go version, requirements, retractions), read exactly as cmd/go reads
/// a dependency's go.mod: <c>modfile.ParseLax(name, data, nil)</c> from golang.org/x/mod. That means Go's syntax
/// errors, errors in module, go and require directives, and silence about everything else: unknown
/// directives, replace/exclude, and malformed retract intervals (which are dropped) are ignored.
/// </summary>
public sealed class GoModFile
{
    private const string FileName = "go.mod";

    private GoModFile(string? modulePath, string? goVersion, IReadOnlyList<ModuleRequirement> requires, IReadOnlyList<Retraction> retractions)
    {
        ModulePath = modulePath;
        GoVersion = goVersion;
        Requires = requires;
        Retractions = retractions;
    }

    /// <summary>The module directive's path (unquoted, not validated, as in Go), or null without a module directive.</summary>
    public string? ModulePath { get; }

    /// <summary>The go directive ("1.21"; lax forms like "1.21rc1" are cut to "1.21" as Go does), or null.</summary>
    public string? GoVersion { get; }

    /// <summary>The require lines in file order, duplicates kept (modfile keeps them too).</summary>
    public IReadOnlyList<ModuleRequirement> Requires { get; }

    public IReadOnlyList<Retraction> Retractions { get; }

    public static bool TryParse(ReadOnlySpan<byte> content, out GoModFile? file, out ModuleError? error)
    {
        file = null;
        List<ModExpr> stmts;
        try
        {
            stmts = ModParser.Parse(content.ToArray(), FileName);
        }
        catch (ModSyntaxException e)
        {
            error = new ModuleError(ModuleErrorKind.GoModInvalid, e.Message);
            return false;
        }

        var reader = new GoModDirectives(FileName);
        foreach (var stmt in stmts)
        {
            switch (stmt)
            {
                case ModLine line:
                    reader.Add(null, line, GoBytes.Decode(line.Tokens[0]), line.Tokens.Skip(1).ToList());
                    break;

                // Blocks with more than one verb token, and blocks of directives that cannot be factored, are ignored.
                case ModLineBlock block when block.Tokens.Count == 1:
                    var verb = GoBytes.Decode(block.Tokens[0]);
                    if (verb is "module" or "require" or "exclude" or "replace" or "retract")
                    {
                        foreach (var line in block.Lines)
                        {
                            reader.Add(block, line, verb, line.Tokens);
                        }
                    }

                    break;
            }
        }

        if (reader.Errors.Count > 0)
        {
            error = new ModuleError(ModuleErrorKind.GoModInvalid, string.Join('\n', reader.Errors));
            return false;
        }

        error = null;
        file = new GoModFile(reader.ModulePath, reader.GoVersion, reader.Requires, reader.Retractions);
        return true;
    }

    /// <summary>Whether any retraction covers <paramref name="version"/> (semver order, as cmd/go checks it).</summary>
    public bool IsRetracted(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        foreach (var r in Retractions)
        {
            if (r.Contains(version))
            {
                return true;
            }
        }

        return false;
    }
}
