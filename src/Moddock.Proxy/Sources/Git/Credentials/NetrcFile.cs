namespace Moddock.Proxy.Sources.Git.Credentials;

/// <summary>
/// Reads a .netrc file (machine/login/password/default tokens; macdef bodies skipped), the way the
/// go command does for its own HTTPS requests. Malformed input yields what was understood so far.
/// </summary>
internal static class NetrcFile
{
    public static IReadOnlyList<GitCredential> Parse(string text)
    {
        var result = new List<GitCredential>();
        var tokens = Tokenize(text);
        string? machine = null, login = null, password = null;
        var inEntry = false;

        void Flush()
        {
            if (inEntry && machine is not null && password is not null)
            {
                result.Add(new GitCredential(machine, password, login ?? "oauth2"));
            }

            machine = login = password = null;
            inEntry = false;
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            switch (tokens[i])
            {
                case "machine":
                    Flush();
                    inEntry = true;
                    machine = i + 1 < tokens.Count ? tokens[++i] : null;
                    break;
                case "default":
                    // go's netrc reader stops at "default": later entries are ignored.
                    Flush();
                    return result;
                case "login":
                    login = i + 1 < tokens.Count ? tokens[++i] : null;
                    break;
                case "password":
                    password = i + 1 < tokens.Count ? tokens[++i] : null;
                    break;
                case "macdef":
                    Flush();
                    return result;
                default:
                    break;
            }
        }

        Flush();
        return result;
    }

    public static IReadOnlyList<GitCredential> Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path)) : [];

    private static List<string> Tokenize(string text) =>
        text.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries).ToList();
}
