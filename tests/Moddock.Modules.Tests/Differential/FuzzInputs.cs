using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Moddock.Modules.Text;

namespace Moddock.Modules.Tests.Differential;

/// <summary>
/// FsCheck generators biased toward the alphabets of module paths, versions and globs, plus mutations of
/// x/mod's own table inputs. The seed is fixed so CI runs are reproducible; set MODDOCK_FUZZ_SEED to explore.
/// Non-ASCII characters come from a pool assigned long before Unicode 13, so Go 1.19 and .NET agree on
/// their classes (letter, printable).
/// </summary>
internal static class FuzzInputs
{
    // Every ASCII character, a few non-ASCII letters and non-letters, and invalid-UTF-8 bytes (lone surrogates).
    private static readonly string[] Odd =
    [
        "é", "и", "Ж", "ß", "ǅ", "ª", "٣", "☺", "€", "\u00a0", "\u0301", "\u200b", "\ufffd", "\ufeff", "𝔸", "😀", "\u212a",
        "\udcff", "\udc80", "\udcc3",
    ];

    private static readonly string[] Tokens =
    [
        "v", "v0", "v1", "v2", "v10", "/v2", "/v1", "/v0", "/v02", ".v0", ".v1", ".v2", "-unstable", "gopkg.in/", "github.com/",
        "example.com", "x.y", "con", "COM1", "Lpt9", "aux.", "nul", "~1", "~", "+incompatible", "+meta", "-pre", "-0.",
        ".0.", "..", "//", "/", ".", "!a", "!", "%21", "@", "v1.2.3", "v0.0.0-", "20060102150405", "-abcdef123456",
        "00010101000000-000000000000", "*", "?", "[a-z]", "[^a]", "\\", ",", "Azure",
    ];

    public static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable("MODDOCK_FUZZ_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 20261121;

    public static Gen<string> Char { get; } = Gen.Frequency(
        (30, Gen.Elements("abcdefghijklmnopqrstuvwxyz".Select(c => c.ToString()).ToArray())),
        (8, Gen.Elements("ABCDEFGHIJKLMNOPQRSTUVWXYZ".Select(c => c.ToString()).ToArray())),
        (10, Gen.Elements("0123456789".Select(c => c.ToString()).ToArray())),
        (14, Gen.Elements(".", "/", "-", "_", "~", "+", "!")),
        (6, Gen.Choose(0, 127).Select(c => ((char)c).ToString())),
        (3, Gen.Elements(Odd)));

    public static Gen<string> Path { get; } =
        Gen.Frequency((3, Char), (2, Gen.Elements(Tokens))).ListOf().Select(parts => string.Concat(parts)).Resize(12);

    /// <summary>Mostly well-formed module paths: a domain, a few elements, maybe a major suffix; a few odd characters.</summary>
    public static Gen<string> StructuredPath { get; } =
        from domain in Gen.Elements("example.com", "github.com", "gopkg.in", "x.y", "a-b.c", "golang.org", "127.0.0.1", "xn--d.io", "Example.com", "com")
        from elems in Gen.Frequency(
                (8, Gen.Elements("a", "quote", "x_y", "z~", "v", "v2", "v1", "v10", "yaml.v2", "yaml.v1-unstable", "check.v0", "pkg.go", "A", "Sirupsen", "com1", "z~09", ".x", "x.", "con.txt", "@v")),
                (1, Char))
            .ListOf().Resize(4)
        select domain + string.Concat(elems.Select(e => "/" + e));

    public static Gen<string> Number { get; } = Gen.Frequency(
        (6, Gen.Choose(0, 12).Select(n => n.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Elements("00", "01", "007", "99999999999999999999", "18446744073709551616")));

    public static Gen<string> Ident { get; } = Gen.Frequency(
        (4, Gen.Elements("alpha", "beta", "0", "1", "11", "pre", "rc", "-", "x-y", "Z", "a1")),
        (1, Gen.Elements("", "00", "01", "a.b", "é", "_", "20060102150405", "abcdef123456")));

    public static Gen<string> Version { get; } =
        from major in Number
        from minor in Number
        from patch in Number
        from shape in Gen.Choose(0, 9)
        from pre in Ident.ListOf().Resize(3)
        from build in Ident.ListOf().Resize(2)
        select shape switch
        {
            0 => "v" + major,
            1 => "v" + major + "." + minor,
            2 => major + "." + minor + "." + patch,
            _ => "v" + major + "." + minor + "." + patch
                + (pre.Count > 0 ? "-" + string.Join('.', pre) : "")
                + (build.Count > 0 && shape % 2 == 0 ? "+" + string.Join('.', build) : ""),
        };

    public static Gen<string> Timestamp { get; } = Gen.Frequency(
        (3, Gen.Choose(0, 2_000_000_000).Select(s => DateTimeOffset.FromUnixTimeSeconds(s).UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture))),
        (2, Gen.Choose(0, 9).ArrayOf(14).Select(d => string.Concat(d))),
        (1, Gen.Elements("20060102150405", "00010101000000", "20000229000000", "19990229000000", "20061302150405", "20060100150405", "20060102240405", "2006010215040", "200601021504055")));

    public static Gen<string> Pseudo { get; } =
        from major in Number
        from minor in Number
        from patch in Number
        from ts in Timestamp
        from rev in Gen.Elements("abcdef123456", "hash", "000000000000", "ABC", "", "a-b", "a.b")
        from pre in Ident.ListOf().Resize(2)
        from build in Gen.Elements("", "", "+incompatible", "+meta", "+a.b", "+")
        from shape in Gen.Choose(0, 3)
        select shape switch
        {
            0 => $"v{major}.0.0-{ts}-{rev}{build}",
            1 => $"v{major}.{minor}.{patch}-0.{ts}-{rev}{build}",
            2 => $"v{major}.{minor}.{patch}-{string.Join('.', pre)}.0.{ts}-{rev}{build}",
            _ => $"v{major}.{minor}.{patch}-{string.Join('.', pre)}{ts}-{rev}{build}",
        };

    public static Gen<string> Glob { get; } =
        Gen.Frequency(
            (6, Gen.Elements("*", "?", "[", "]", "^", "-", "\\", "/", ",", "*/", "[a-z]", "[^.]", "\\*", "[\\]]", "[]", "[a-]", "[-a]")),
            (6, Char),
            (2, Gen.Elements("rsc.io", "quote", "corp.example.com", "*.corp", "x.y", "z")))
        .ListOf().Select(parts => string.Concat(parts)).Resize(8);

    /// <summary>1–3 random edits (insert, delete, replace, swap case, duplicate) of a Go table input.</summary>
    public static Gen<string> Mutation(IReadOnlyList<string> seeds) =>
        from s in Gen.Elements(seeds.ToArray())
        from edits in Gen.Choose(1, 3)
        from ops in Gen.Choose(0, 4).ArrayOf(edits)
        from positions in Gen.Choose(0, 1000).ArrayOf(edits)
        from inserts in Gen.Frequency((3, Char), (1, Gen.Elements(Tokens))).ArrayOf(edits)
        select Mutate(s, ops, positions, inserts);

    public static List<string> Sample(Gen<string> gen, int count, int salt) =>
        gen.Sample(count, new Rnd((ulong)(Seed + salt)), count)
            .Select(s => GoBytes.Decode(GoBytes.Encode(s))) // a split surrogate pair becomes the bytes Go would see
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private static string Mutate(string s, int[] ops, int[] positions, string[] inserts)
    {
        for (var k = 0; k < ops.Length; k++)
        {
            var at = s.Length == 0 ? 0 : positions[k] % (s.Length + 1);
            var end = Math.Min(s.Length, at + 1);
            s = ops[k] switch
            {
                0 => s.Insert(at, inserts[k]),
                1 => s.Remove(at, end - at),
                2 => s[..at] + inserts[k] + s[end..],
                3 => s[..at] + s[at..end].ToUpperInvariant() + s[end..],
                _ => s[..at] + s[at..end] + s[at..],
            };
        }

        return s;
    }
}
