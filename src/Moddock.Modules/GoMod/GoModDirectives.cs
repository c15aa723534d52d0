using System.Text.RegularExpressions;
using Moddock.Modules.Text;

namespace Moddock.Modules.GoMod;

/// <summary>
/// modfile's (*File).add in lax mode (strict == false, no version fixer): the module, go, require and retract
/// directives, collecting errors in Go's words and with Go's positions.
/// </summary>
internal sealed class GoModDirectives(string fileName)
{
    // modfile.GoVersionRE and laxGoVersionRE (x/mod v0.7.0), ASCII classes spelled out.
    private static readonly Regex GoVersionPattern = new(@"\A([1-9][0-9]*)\.(0|[1-9][0-9]*)\z", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
    private static readonly Regex LaxGoVersionPattern = new(@"\Av?(([1-9][0-9]*)\.(0|[1-9][0-9]*))([^0-9].*)\z", RegexOptions.CultureInvariant | RegexOptions.Singleline);

    private bool _haveModule;

    public List<string> Errors { get; } = [];

    public string? ModulePath { get; private set; }

    public string? GoVersion { get; private set; }

    public List<Retraction> Retractions { get; } = [];

    public List<ModuleRequirement> Requires { get; } = [];

    public void Add(ModLineBlock? block, ModLine line, string verb, List<byte[]> args)
    {
        switch (verb)
        {
            case "go":
                AddGo(line, args);
                break;
            case "module":
                AddModule(line, args);
                break;
            case "require":
                AddRequire(line, verb, args);
                break;
            case "retract":
                AddRetract(block, line, args);
                break;
        }
    }

    private void Fail(ModLine line, string message) => Errors.Add(line.Start.Prefix(fileName) + message);

    private void AddGo(ModLine line, List<byte[]> args)
    {
        if (GoVersion is not null)
        {
            Fail(line, "repeated go statement");
            return;
        }

        if (args.Count != 1)
        {
            Fail(line, "go directive expects exactly one argument");
            return;
        }

        var v = GoBytes.Decode(args[0]);
        if (!GoVersionPattern.IsMatch(v))
        {
            var m = LaxGoVersionPattern.Match(v);
            if (!m.Success)
            {
                Fail(line, $"invalid go version '{v}': must match format 1.23");
                return;
            }

            v = m.Groups[1].Value;
        }

        GoVersion = v;
    }

    private void AddModule(ModLine line, List<byte[]> args)
    {
        if (_haveModule)
        {
            Fail(line, "repeated module statement");
            return;
        }

        _haveModule = true;
        ModulePath = "";
        if (args.Count != 1)
        {
            Fail(line, "usage: module module/path");
            return;
        }

        if (!TryParseString(args[0], out var path, out var reason))
        {
            Fail(line, "invalid quoted string: " + reason);
            return;
        }

        ModulePath = path;
    }

    private void AddRequire(ModLine line, string verb, List<byte[]> args)
    {
        if (args.Count != 2)
        {
            Fail(line, $"usage: {verb} module/path v1.2.3");
            return;
        }

        if (!TryParseString(args[0], out var path, out var reason))
        {
            Fail(line, "invalid quoted string: " + reason);
            return;
        }

        if (!TryParseVersion(verb, path, args[1], out var version, out var versionError))
        {
            Fail(line, versionError);
            return;
        }

        var (_, pathMajor, ok) = ModulePathChecks.SplitPathVersion(path);
        if (!ok)
        {
            Fail(line, "invalid module path");
            return;
        }

        if (ModulePathChecks.CheckPathMajor(version, pathMajor) is { } majorError)
        {
            Fail(line, $"{verb} {path}: {majorError.Message}");
            return;
        }

        Requires.Add(new ModuleRequirement(path, version, IsIndirect(line)));
    }

    // modfile.isIndirect: the first end-of-line comment is exactly "indirect", or starts with "indirect;".
    private static bool IsIndirect(ModLine line)
    {
        if (line.Suffix.Count == 0)
        {
            return false;
        }

        var token = line.Suffix[0].Token;
        var f = (token.StartsWith("//", StringComparison.Ordinal) ? token[2..] : token).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return (f.Length == 1 && f[0] == "indirect") || (f.Length > 1 && f[0] == "indirect;");
    }

    private void AddRetract(ModLineBlock? block, ModLine line, List<byte[]> args)
    {
        var rationale = DirectiveComment(block, line);

        // In lax mode a malformed interval is dropped silently, and trailing tokens are ignored.
        if (!TryParseInterval(args, out var low, out var high))
        {
            return;
        }

        Retractions.Add(new Retraction(low, high, rationale.Length == 0 ? null : rationale));
    }

    // parseVersionInterval with dontFixRetract: versions are only unquoted, not checked.
    private static bool TryParseInterval(List<byte[]> toks, out string low, out string high)
    {
        low = high = "";
        if (toks.Count == 0 || Is(toks[0], "("))
        {
            return false;
        }

        if (!Is(toks[0], "["))
        {
            if (!TryParseString(toks[0], out low, out _))
            {
                return false;
            }

            high = low;
            return true;
        }

        return toks.Count >= 5
            && TryParseString(toks[1], out low, out _)
            && Is(toks[2], ",")
            && TryParseString(toks[3], out high, out _)
            && Is(toks[4], "]");
    }

    private static bool Is(byte[] token, string text) => token.Length == text.Length && GoBytes.Decode(token) == text;

    private static bool TryParseVersion(string verb, string path, byte[] token, out string version, out string error)
    {
        version = "";
        error = "";
        if (!TryParseString(token, out var t, out var reason))
        {
            error = $"{Directive(verb, path)}{ModulePathChecks.InvalidVersion(GoBytes.Decode(token), reason)}";
            return false;
        }

        var cv = ModuleVersion.Canonicalize(t);
        if (cv.Length == 0)
        {
            error = $"{Directive(verb, path)}{ModulePathChecks.InvalidVersion(t, "must be of the form v1.2.3")}";
            return false;
        }

        version = cv;
        return true;
    }

    private static string Directive(string verb, string path) => path.Length > 0 ? $"{verb} {path}: " : verb.Length > 0 ? $"{verb}: " : "";

    /// <summary>modfile.parseString: a "quoted" token is unquoted; other tokens may not contain any quote character.</summary>
    private static bool TryParseString(byte[] token, out string value, out string reason)
    {
        reason = "";
        if (token.Length > 0 && token[0] == '"')
        {
            var unquoted = GoUnquote.Unquote(token);
            value = unquoted is null ? "" : GoBytes.Decode(unquoted);
            reason = "invalid syntax";
            return unquoted is not null;
        }

        value = GoBytes.Decode(token);
        if (token.AsSpan().IndexOfAny("\"'`"u8) >= 0)
        {
            reason = "unquoted string cannot contain quote";
            return false;
        }

        return true;
    }

    // modfile.parseDirectiveComment: the line's comments, else its block's; blank-line markers are skipped.
    private static string DirectiveComment(ModLineBlock? block, ModLine line)
    {
        ModExpr source = line;
        if (block is not null && line.Before.Count == 0 && line.Suffix.Count == 0)
        {
            source = block;
        }

        var lines = new List<string>();
        foreach (var c in source.Before.Concat(source.Suffix))
        {
            if (c.Token.StartsWith("//", StringComparison.Ordinal))
            {
                lines.Add(c.Token[2..].Trim(GoSpaces));
            }
        }

        return string.Join('\n', lines);
    }

    // strings.TrimSpace: Unicode white space.
    private static readonly char[] GoSpaces =
        ['\t', '\n', '\v', '\f', '\r', ' ', '\u0085', '\u00a0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005',
         '\u2006', '\u2007', '\u2008', '\u2009', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000'];
}
