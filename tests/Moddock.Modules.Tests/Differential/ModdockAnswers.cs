using System.Globalization;
using Moddock.Modules.Text;

namespace Moddock.Modules.Tests.Differential;

/// <summary>Moddock's answer to each oracle request, in the oracle's answer shape, so the two compare field by field.</summary>
internal static class ModdockAnswers
{
    public static string[] Answer(OracleRequest request)
    {
        var a = request.Args;
        return request.Op switch
        {
            "checkpath" => Result(ModulePathChecks.CheckPath(a[0]), ""),
            "checkimport" => Result(ModulePathChecks.CheckImportPath(a[0]), ""),
            "checkfile" => Result(ModulePathChecks.CheckFilePath(a[0]), ""),
            "checkpathmajor" => Result(ModulePathChecks.CheckPathMajor(a[0], a[1]), ""),
            "check" => Result(ModulePathChecks.Check(a[0], a[1]), ""),
            "split" => Split(a[0]),
            "escapepath" => Result(ModuleEscaping.TryEscapePath(a[0], out var ep, out var epe), ep, epe),
            "unescapepath" => Result(ModuleEscaping.TryUnescapePath(a[0], out var up, out var upe), up, upe),
            "escapeversion" => Result(ModuleEscaping.TryEscapeVersion(a[0], out var ev, out var eve), ev, eve),
            "unescapeversion" => Result(ModuleEscaping.TryUnescapeVersion(a[0], out var uv, out var uve), uv, uve),
            "semver" => SemverFields(a[0]),
            "compare" => [Semver.Compare(a[0], a[1]).ToString(CultureInfo.InvariantCulture)],
            "pseudo" => [PseudoVersion.Build(a[0], a[1], DateTimeOffset.FromUnixTimeSeconds(long.Parse(a[2], CultureInfo.InvariantCulture)), a[3])],
            "ispseudo" => [Bool(PseudoVersion.IsPseudo(a[0])), Bool(PseudoVersion.IsZero(a[0]))],
            "pseudobase" => Result(PseudoVersion.TryGetBase(a[0], out var pb, out var pbe), pb, pbe),
            "pseudotime" => PseudoTime(a[0]),
            "pseudorev" => Result(PseudoVersion.TryGetRev(a[0], out var pr, out var pre), pr, pre),
            "match" => [Bool(PathPatterns.Parse(a[0]).Matches(a[1]))],
            "modfile" => ModFile(a[0]),
            "pathunescape" => PathUnescape(a[0]),
            _ => throw new ArgumentException("unknown op " + request.Op),
        };
    }

    private static string[] Split(string path)
    {
        var (prefix, major, ok) = ModulePathChecks.SplitPathVersion(path);
        return [prefix, major, Bool(ok)];
    }

    private static string[] SemverFields(string v)
    {
        return [Bool(Semver.IsValid(v)), Semver.Canonical(v), Semver.Major(v), Semver.MajorMinor(v), Semver.Prerelease(v), Semver.Build(v), ModuleVersion.Canonicalize(v)];
    }

    private static string[] PseudoTime(string v)
    {
        if (!PseudoVersion.TryGetTime(v, out var t, out var error))
        {
            return ["err", error!.Message];
        }

        Assert.Equal(TimeSpan.Zero, t.Offset);
        return ["ok", t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)];
    }

    private static string[] ModFile(string text)
    {
        if (!GoModFile.TryParse(GoBytes.Encode(text), out var file, out var error))
        {
            Assert.Null(file);
            return ["err", error!.Message];
        }

        Assert.Null(error);
        var fields = new List<string> { "ok", file!.ModulePath is null ? "" : "1", file.ModulePath ?? "", file.GoVersion ?? "" };
        foreach (var r in file.Retractions)
        {
            fields.AddRange([r.Low, r.High, r.Rationale ?? ""]);
        }

        fields.Add("require");
        foreach (var r in file.Requires)
        {
            fields.AddRange([r.Path, r.Version, r.Indirect ? "true" : "false"]);
        }

        return [.. fields];
    }

    // url.PathUnescape; a result that is not UTF-8 cannot be a .NET string, so Moddock refuses it.
    private static string[] PathUnescape(string segment)
    {
        if (ModuleEscaping.TryPercentDecode(segment, out var decoded))
        {
            return ["ok", decoded];
        }

        Assert.Equal("", decoded);
        return IsWellFormedPercent(segment) ? ["invalid-utf8", ""] : ["err", ""];
    }

    private static bool IsWellFormedPercent(string s)
    {
        for (var i = s.IndexOf('%', StringComparison.Ordinal); i >= 0; i = s.IndexOf('%', i + 3))
        {
            if (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Bool(bool b) => b ? "1" : "0";

    private static string[] Result(ModuleError? error, string value) => error is null ? ["ok", value] : ["err", error.Message];

    private static string[] Result(bool ok, string value, ModuleError? error)
    {
        Assert.Equal(ok, error is null);
        return ok ? ["ok", value] : ["err", error!.Message];
    }
}
