using System.Text;

namespace Moddock.Sumdb.Client;

/// <summary>
/// The case-encoding of module paths and versions in lookup URLs (module.EscapePath): each upper-case
/// letter becomes '!' plus its lower-case form. Callers validate paths with ModulePath first.
/// </summary>
internal static class LookupEscaping
{
    public static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length + 4);
        foreach (var c in s)
        {
            if (c is >= 'A' and <= 'Z')
            {
                sb.Append('!').Append((char)(c + ('a' - 'A')));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
