namespace Moddock.Server.Configuration;

/// <summary>
/// A basic check of GOSUMDB syntax (cmd/go/internal/modfetch/fetch.go: "off", or a database
/// name or verifier key, optionally followed by the database URL). The checksum-database issue
/// parses the key itself.
/// </summary>
internal static class SumdbSetting
{
    public static string? Check(string value)
    {
        var fields = value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0)
        {
            return "must be \"off\", a checksum database name or key, optionally followed by its URL";
        }

        if (fields.Length > 2)
        {
            return "too many fields: want NAME[+KEY] [URL]";
        }

        if (fields[0] == "off")
        {
            return fields.Length == 1 ? null : "\"off\" takes no URL";
        }

        var name = fields[0].Split('+')[0];
        if (name.Length == 0 || name.Contains("://", StringComparison.Ordinal) || name.Contains('/', StringComparison.Ordinal))
        {
            return $"\"{name}\" is not a checksum database name (a host name such as sum.golang.org)";
        }

        if (fields.Length == 2 && (!Uri.TryCreate(fields[1], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            return $"\"{fields[1]}\" is not an http or https URL";
        }

        return null;
    }
}
