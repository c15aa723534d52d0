using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Moddock.Server.Auth;

/// <summary>Salted PBKDF2-SHA256 hashes for client passwords and tokens: "pbkdf2-sha256$iterations$salt$hash" (base64).</summary>
public static class ClientSecretHash
{
    private const string Scheme = "pbkdf2-sha256";
    private const int DefaultIterations = 100_000;

    public static string Create(string secret, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, 32);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Constant-time check of secret against a stored hash; false for a malformed hash.</summary>
    public static bool Verify(string secret, string stored)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(stored);
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static bool IsWellFormed(string stored) =>
        stored.Split('$') is [Scheme, var it, var salt, var hash]
        && int.TryParse(it, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
        && IsBase64(salt) && IsBase64(hash);

    private static bool IsBase64(string s) => s.Length > 0 && Convert.TryFromBase64String(s, new byte[s.Length], out _);
}
