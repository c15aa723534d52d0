namespace Moddock.Proxy.Resolution;

/// <summary>GOPROXY content types: JSON for .info/@latest, text for .mod/list, zip for .zip.</summary>
public static class ContentTypes
{
    public const string Json = "application/json";
    public const string Text = "text/plain; charset=utf-8";
    public const string Zip = "application/zip";

    public static string For(ArtifactKind kind) => kind switch
    {
        ArtifactKind.Info or ArtifactKind.Latest => Json,
        ArtifactKind.Zip => Zip,
        _ => Text,
    };
}
