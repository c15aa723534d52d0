using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Moddock.Sumdb.Note;

/// <summary>
/// The verifier and signer key formats of golang.org/x/mod/sumdb/note:
/// verifier <c>name+hash+base64(0x01‖pubkey32)</c>, signer <c>PRIVATE+KEY+name+hash+base64(0x01‖seed32)</c>,
/// where hash is the first 4 bytes (big-endian) of SHA-256(name ‖ "\n" ‖ 0x01‖pubkey).
/// </summary>
internal static class NoteKeys
{
    public const byte AlgEd25519 = 1;

    /// <summary>note.isValidName: non-empty, valid UTF-8, no white space, no '+'.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length == 0 || name.Contains('+', StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 >= name.Length || !char.IsLowSurrogate(name[i + 1]))
                {
                    return false;
                }

                i++;
                continue;
            }

            if (char.IsWhiteSpace(c) || c == '\uFFFD')
            {
                return false;
            }
        }

        return true;
    }

    public static uint KeyHash(string name, ReadOnlySpan<byte> algAndKey)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name + "\n");
        var buf = new byte[nameBytes.Length + algAndKey.Length];
        nameBytes.CopyTo(buf, 0);
        algAndKey.CopyTo(buf.AsSpan(nameBytes.Length));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(buf));
    }

    public static bool TryParseVerifier(string vkey, out NoteVerifier? verifier, out string? error)
    {
        verifier = null;
        var (name, rest) = Chop(vkey, '+');
        var (hash16, key64) = Chop(rest, '+');
        if (!TryParseHash(hash16, out var hash) || !TryBase64(key64, out var key) || !IsValidName(name) || key.Length == 0)
        {
            error = "malformed verifier id";
            return false;
        }

        if (hash != KeyHash(name, key))
        {
            error = "invalid verifier hash";
            return false;
        }

        if (key[0] != AlgEd25519)
        {
            error = "unknown verifier algorithm";
            return false;
        }

        if (key.Length != 33)
        {
            error = "malformed verifier id";
            return false;
        }

        verifier = new NoteVerifier(name, hash, key.AsSpan(1).ToArray());
        error = null;
        return true;
    }

    public static bool TryParseSigner(string skey, out NoteSigner? signer, out string? error)
    {
        signer = null;
        var (priv1, r1) = Chop(skey, '+');
        var (priv2, r2) = Chop(r1, '+');
        var (name, r3) = Chop(r2, '+');
        var (hash16, key64) = Chop(r3, '+');
        if (priv1 != "PRIVATE" || priv2 != "KEY" || !TryParseHash(hash16, out var hash) || !TryBase64(key64, out var key)
            || !IsValidName(name) || key.Length == 0)
        {
            error = "malformed signer key";
            return false;
        }

        if (key[0] != AlgEd25519)
        {
            error = "unknown signer algorithm";
            return false;
        }

        if (key.Length != 33)
        {
            error = "malformed signer key";
            return false;
        }

        var seed = key.AsSpan(1).ToArray();
        var pub = Ed25519.PublicKeyFromSeed(seed);
        if (hash != KeyHash(name, [AlgEd25519, .. pub]))
        {
            error = "invalid signer hash";
            return false;
        }

        signer = new NoteSigner(name, hash, seed, pub);
        error = null;
        return true;
    }

    /// <summary>note.GenerateKey: a fresh Ed25519 key pair as (signer key, verifier key).</summary>
    public static (string SignerKey, string VerifierKey) Generate(string name, Func<int, byte[]>? random = null)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException("invalid key name: " + name, nameof(name));
        }

        var seed = (random ?? RandomNumberGenerator.GetBytes)(32);
        var pub = Ed25519.PublicKeyFromSeed(seed);
        byte[] pubKey = [AlgEd25519, .. pub];
        byte[] privKey = [AlgEd25519, .. seed];
        var h = KeyHash(name, pubKey);
        var hex = h.ToString("x8", CultureInfo.InvariantCulture);
        return ($"PRIVATE+KEY+{name}+{hex}+{Convert.ToBase64String(privKey)}", $"{name}+{hex}+{Convert.ToBase64String(pubKey)}");
    }

    public static string FormatVerifier(string name, uint hash, ReadOnlySpan<byte> publicKey) =>
        $"{name}+{hash.ToString("x8", CultureInfo.InvariantCulture)}+{Convert.ToBase64String([AlgEd25519, .. publicKey])}";

    internal static (string Before, string After) Chop(string s, char sep)
    {
        var i = s.IndexOf(sep, StringComparison.Ordinal);
        return i < 0 ? (s, "") : (s[..i], s[(i + 1)..]);
    }

    // strconv.ParseUint(s, 16, 32) with exactly 8 digits.
    private static bool TryParseHash(string hex, out uint hash)
    {
        hash = 0;
        return hex.Length == 8 && uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out hash);
    }

    internal static bool TryBase64(string s, out byte[] bytes)
    {
        // Go's base64.StdEncoding skips '\r' and '\n' but no other white space; .NET skips all of it.
        bytes = [];
        s = s.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        if (s.Length % 4 != 0 || s.AsSpan().ContainsAny(" \t\f\v"))
        {
            return false;
        }

        try
        {
            bytes = Convert.FromBase64String(s);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
