namespace Moddock.Server.Health;

/// <summary>Upstream URLs as shown to clients and logs: never with the user:password part.</summary>
internal static class UpstreamNames
{
    public static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && u.UserInfo.Length > 0
            ? new UriBuilder(u) { UserName = "", Password = "" }.Uri.ToString()
            : url;
}
