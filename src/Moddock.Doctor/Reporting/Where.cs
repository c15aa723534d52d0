namespace Moddock.Doctor.Reporting;

/// <summary>The `where` values of diagnosis-causes.md: which party of the download failed.</summary>
internal static class Where
{
    public const string Proxy = "proxy";
    public const string Sumdb = "sumdb";
    public const string Vcs = "vcs";
    public const string GoGet = "go-get";
    public const string HttpProxy = "http-proxy";
    public const string Local = "local";

    public static IReadOnlyList<string> All { get; } = [Proxy, Sumdb, Vcs, GoGet, HttpProxy, Local];
}
