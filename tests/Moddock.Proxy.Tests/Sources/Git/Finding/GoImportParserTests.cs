using Moddock.Proxy.Sources.Git.Finding;

namespace Moddock.Proxy.Tests.Sources.Git.Finding;

public sealed class GoImportParserTests
{
    [Fact]
    public void Parse_ModEntryAndVcsEntrySamePrefix_ModFirstVcsDropped()
    {
        const string html = """
            <html><head>
            <META NAME="go-import" CONTENT="corp.example/lib git https://git.corp.example/lib">
            <meta name='go-import' content='corp.example/lib mod https://proxy.corp.example'/>
            <meta name="go-import" content="corp.example/other git https://git.corp.example/other">
            <meta name="go-import" content="two fields">
            <meta name="go-source" content="corp.example/lib _ _ _">
            </head><body><meta name="go-import" content="corp.example/late git https://late"></body></html>
            """;

        var imports = GoImportParser.Parse(html);

        Assert.Equal(
            [
                new GoImport("corp.example/lib", "mod", "https://proxy.corp.example"),
                new GoImport("corp.example/other", "git", "https://git.corp.example/other"),
            ],
            imports);
    }

    [Fact]
    public void Parse_StopsAtEndOfHead_EntityDecoded()
    {
        var imports = GoImportParser.Parse("""<head><meta name="go-import" content="a.example/x git https://a.example/x?a=1&amp;b=2"></head><meta name="go-import" content="b.example/y git https://b">""");

        Assert.Equal([new GoImport("a.example/x", "git", "https://a.example/x?a=1&b=2")], imports);
    }

    [Fact]
    public void Match_PathPrefixRules_LikeCmdGo()
    {
        GoImport[] imports = [new("corp.example/lib", "git", "https://g/lib"), new("corp.example/libx", "git", "https://g/libx")];

        Assert.Equal(imports[0], GoImportParser.Match(imports, "corp.example/lib/sub/pkg", out _));
        Assert.Null(GoImportParser.Match(imports, "corp.example/li", out var error));
        Assert.Contains("did not match import path corp.example/li", error, StringComparison.Ordinal);
        Assert.Null(GoImportParser.Match([new("a.example/x", "git", "u1"), new("a.example/x", "git", "u2")], "a.example/x", out var dup));
        Assert.Contains("multiple meta tags", dup, StringComparison.Ordinal);
    }
}
