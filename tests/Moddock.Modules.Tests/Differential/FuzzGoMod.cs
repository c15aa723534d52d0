using FsCheck;
using FsCheck.Fluent;

namespace Moddock.Modules.Tests.Differential;

/// <summary>Generated go.mod texts: directives, blocks, comments and odd tokens in random order and spacing.</summary>
internal static class FuzzGoMod
{
    private static readonly string[] Paths = ["example.com/m", "\"example.com/q\"", "`example.com/r`", "x", "\"a\\tb\"", "\"bad", "gopkg.in/yaml.v2", "example.com/m/v2", "a'b", "\"\\u00e9\"", "\"\\xff\""];

    private static readonly string[] Versions = ["v1.0.0", "v1.2", "\"v1.3.0\"", "v2.0.0+incompatible", "v1.0.0-pre", "latest", "v0.0.0-20200101000000-abcdef123456", "\"v1\"", "v3.0.0", "1.0.0", "`v1.0.0`"];

    private static readonly string[] GoVersions = ["1.16", "1.21", "1.21rc1", "v1.19", "1.2.3", "1.021", "0.1", "\"1.19\"", "1", "1.19 extra"];

    private static readonly string[] Noise =
        ["(", ")", "[", "]", ",", "//", "/*", "\"", "`", "\n", "\r\n", "\t", " ", "{", "}", "\\", "\u00a0", "\u000b", "é", "\u0000", "\udcff", "module", "retract", "go", "=>"];

    private static Gen<string> V => Gen.Elements(Versions);

    private static Gen<string> Comment => Gen.Elements("", "", " // why", " //retracted: broken", "// x", " //", " // a // b");

    public static Gen<string> Line { get; } = Gen.OneOf(
        from p in Gen.Elements(Paths) from c in Comment select "module " + p + c,
        from g in Gen.Elements(GoVersions) select "go " + g,
        from p in Gen.Elements(Paths) from v in V from c in Comment select "require " + p + " " + v + c,
        from v in V from c in Comment select "retract " + v + c,
        from lo in V from hi in V from c in Comment select $"retract [{lo}, {hi}]{c}",
        from lo in V from hi in V select $"retract [ {lo} ,{hi} ] extra",
        from lo in V select $"retract [{lo}]",
        from p in Gen.Elements(Paths) from v in V select $"replace {p} => ../x",
        from p in Gen.Elements(Paths) from v in V select $"exclude {p} {v}",
        Gen.Elements("toolchain go1.21.0", "// comment line", "", "godebug x=1", "unknown directive here", "module", "go", "retract"));

    public static Gen<string> Block { get; } =
        from verb in Gen.Elements("retract", "require", "module", "go", "exclude", "replace", "retract x", "retract")
        from before in Comment
        from lines in Gen.OneOf(
            from v in V from c in Comment select v + c,
            from lo in V from hi in V from c in Comment select $"[{lo}, {hi}]{c}",
            from p in Gen.Elements(Paths) from v in V select p + " " + v,
            Gen.Elements("// inner comment", "", "v1.0.0 // one", ")")).ListOf().Resize(4)
        from close in Gen.Elements(")", ")", ") // end", ") x", "")
        select $"{before.TrimStart()}\n{verb} ({Comment}\n\t{string.Join("\n\t", lines)}\n{close}";

    public static Gen<string> File { get; } =
        from parts in Gen.Frequency((5, Line), (2, Block)).ListOf().Resize(8)
        from sep in Gen.Elements("\n", "\n", "\r\n", "\n\n")
        select string.Join(sep, parts) + sep;

    public static Gen<string> Mutation(IReadOnlyList<string> seeds) =>
        from s in Gen.OneOf(Gen.Elements(seeds.ToArray()), File)
        from edits in Gen.Choose(1, 3)
        from positions in Gen.Choose(0, 100_000).ArrayOf(edits)
        from inserts in Gen.Elements(Noise).ArrayOf(edits)
        from deletes in Gen.Choose(0, 1).ArrayOf(edits)
        select Mutate(s, positions, inserts, deletes);

    private static string Mutate(string s, int[] positions, string[] inserts, int[] deletes)
    {
        for (var k = 0; k < positions.Length; k++)
        {
            var at = positions[k] % (s.Length + 1);
            s = deletes[k] == 1 && at < s.Length ? s.Remove(at, 1) : s.Insert(at, inserts[k]);
        }

        return s;
    }
}
