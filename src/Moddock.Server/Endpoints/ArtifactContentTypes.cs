using Moddock.Proxy;

namespace Moddock.Server.Endpoints;

/// <summary>Content types of the GOPROXY protocol's files (issue 3, Behaviour 1).</summary>
internal static class ArtifactContentTypes
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
