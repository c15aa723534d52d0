using Moddock.Sumdb.Note;

namespace Moddock.Sumdb.Client;

/// <summary>
/// A GOSUMDB value, parsed like cmd/go's dbDial: "off"; or one or two fields: a verifier key (or the known
/// name sum.golang.org) and an optional URL that replaces https://NAME. "sum.golang.google.cn" is an alias
/// for "sum.golang.org https://sum.golang.google.cn". The key name must look like host[/path].
/// </summary>
internal sealed record GoSumdbSetting(bool Off, string Name, string VerifierKey, Uri? Url)
{
    public const string SumGolangOrgKey = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";

    /// <summary>Where the database is reached: the explicit URL, else https://NAME.</summary>
    public Uri BaseUrl => Url ?? new Uri("https://" + Name);

    public NoteVerifier Verifier => NoteKeys.TryParseVerifier(VerifierKey, out var v, out _) ? v! : throw new InvalidOperationException("unreachable");

    public static bool TryParse(string? value, out GoSumdbSetting? setting, out string? error)
    {
        setting = null;
        var v = value ?? "";
        if (string.IsNullOrWhiteSpace(v))
        {
            v = "sum.golang.org"; // Go's default.
        }

        if (v.Trim() == "off")
        {
            setting = new GoSumdbSetting(true, "", "", null);
            error = null;
            return true;
        }

        if (v.Trim() == "sum.golang.google.cn")
        {
            v = "sum.golang.org https://sum.golang.google.cn";
        }

        var fields = v.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length > 2)
        {
            error = "invalid GOSUMDB: too many fields";
            return false;
        }

        var key = fields[0] == "sum.golang.org" ? SumGolangOrgKey : fields[0];
        if (!NoteKeys.TryParseVerifier(key, out var verifier, out var keyError))
        {
            error = "invalid GOSUMDB: " + keyError;
            return false;
        }

        if (!IsHostPath(verifier!.Name))
        {
            error = $"invalid sumdb name (must be host[/path]): {verifier.Name}";
            return false;
        }

        Uri? url = null;
        if (fields.Length == 2)
        {
            if (!Uri.TryCreate(fields[1], UriKind.Absolute, out url) || (url.Scheme != "https" && url.Scheme != "http"))
            {
                error = "invalid GOSUMDB URL: " + fields[1];
                return false;
            }
        }

        setting = new GoSumdbSetting(false, verifier.Name, key, url);
        error = null;
        return true;
    }

    // Go parses "https://"+name and requires it to round-trip as scheme+host+path, with no trailing '/'.
    private static bool IsHostPath(string name)
    {
        if (name.EndsWith('/') || name.StartsWith('/') || name.IndexOfAny(['?', '#', '@', '%', '\\', ' ']) >= 0)
        {
            return false;
        }

        return Uri.TryCreate("https://" + name, UriKind.Absolute, out var u) && u.Host.Length > 0
            && string.Equals(u.Host + (u.IsDefaultPort ? "" : ":" + u.Port) + (u.AbsolutePath == "/" ? "" : u.AbsolutePath), name, StringComparison.OrdinalIgnoreCase);
    }

    public override string ToString() => Off ? "off" : Url is null ? VerifierKey : VerifierKey + " " + Url;
}
