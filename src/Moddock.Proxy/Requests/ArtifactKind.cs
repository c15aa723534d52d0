namespace Moddock.Proxy;

/// <summary>The five things a GOPROXY serves for a module: <c>@v/list</c>, <c>@v/V.info</c>, <c>@v/V.mod</c>, <c>@v/V.zip</c>, <c>@latest</c>.</summary>
public enum ArtifactKind
{
    List,
    Info,
    Mod,
    Zip,
    Latest,
}
