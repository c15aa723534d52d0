using System.Security.Cryptography;
using System.Text;

namespace Moddock.Doctor.Lint;

/// <summary>
/// GOSUMDB as cmd/go/internal/modfetch/sumdb.go reads it: `off`, or one or two fields — a known name
/// (sum.golang.org, or its alias sum.golang.google.cn) or a verifier key `name+hash+key`, then an optional
/// URL. The key check (hash = first 4 bytes of SHA-256(name "\n" key), key = 0x01 ‖ Ed25519 public key)
/// is the note verifier rule from golang.org/x/mod/sumdb/note.
/// </summary>
internal sealed record GosumdbSetting(bool Off, string? Name, Uri? Url, string? Error)
{
    public static readonly string[] KnownNames = ["sum.golang.org", "sum.golang.google.cn"];

    public static GosumdbSetting Parse(string value)
    {
        var v = value.Trim();
        if (v.Length == 0)
        {
            v = "sum.golang.org";
        }

        if (v == "off")
        {
            return new GosumdbSetting(true, null, null, null);
        }

        var f = v.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (f.Length > 2)
        {
            return new GosumdbSetting(false, null, null, "invalid GOSUMDB: too many fields");
        }

        string name;
        if (f[0].Contains('+', StringComparison.Ordinal))
        {
            if (!TryVerifierName(f[0], out name))
            {
                return new GosumdbSetting(false, null, null, "invalid GOSUMDB: malformed verifier id");
            }
        }
        else if (KnownNames.Contains(f[0], StringComparer.Ordinal))
        {
            name = f[0];
        }
        else
        {
            return new GosumdbSetting(false, f[0], null, $"invalid GOSUMDB: the go command has no public key for {f[0]} (give it as name+hash+key, or use sum.golang.org)");
        }

        Uri? url = null;
        if (f.Length == 2)
        {
            var u = f[1].Contains("://", StringComparison.Ordinal) ? f[1] : "https://" + f[1];
            if (!Uri.TryCreate(u, UriKind.Absolute, out url))
            {
                return new GosumdbSetting(false, name, null, "invalid GOSUMDB URL: " + f[1]);
            }
        }

        return new GosumdbSetting(false, name, url, null);
    }

    private static bool TryVerifierName(string vkey, out string name)
    {
        name = string.Empty;
        var parts = vkey.Split('+', 3);
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length != 8)
        {
            return false;
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (key.Length != 33 || key[0] != 1 || !uint.TryParse(parts[1], System.Globalization.NumberStyles.HexNumber, null, out var hash))
        {
            return false;
        }

        var h = SHA256.HashData([.. Encoding.UTF8.GetBytes(parts[0] + "\n"), .. key]);
        var want = (uint)(h[0] << 24 | h[1] << 16 | h[2] << 8 | h[3]);
        name = parts[0];
        return want == hash;
    }
}
