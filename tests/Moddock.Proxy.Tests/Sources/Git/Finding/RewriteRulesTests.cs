using Moddock.Proxy.Sources.Git;
using Moddock.Proxy.Sources.Git.Finding;

namespace Moddock.Proxy.Tests.Sources.Git.Finding;

public sealed class RewriteRulesTests
{
    [Fact]
    public void TryApply_PatternMatches_RootIsMatchedElementsAndTemplateExpanded()
    {
        var rule = new GitRewriteRule("git.corp.example/*", "ssh://git@git.corp.example/{path}.git");

        Assert.True(RewriteRules.TryApply(rule, "git.corp.example/team/pkg/v2", out var root));
        Assert.Equal(new RepoRoot("git.corp.example/team", "git", "ssh://git@git.corp.example/team.git"), root);
    }

    [Fact]
    public void TryApply_TwoLevelPatternAndAllPlaceholders_Expanded()
    {
        var rule = new GitRewriteRule("*.corp.example/*/*", "https://{host}/scm/{path}?root={root}");

        Assert.True(RewriteRules.TryApply(rule, "git.corp.example/grp/repo/sub", out var root));
        Assert.Equal("git.corp.example/grp/repo", root!.Root);
        Assert.Equal("https://git.corp.example/scm/grp/repo?root=git.corp.example/grp/repo", root.Url);
    }

    [Theory]
    [InlineData("git.corp.example/*", "other.example/team/x")]
    [InlineData("git.corp.example/*/*", "git.corp.example/only")]
    public void TryApply_NoMatch_False(string pattern, string path)
    {
        Assert.False(RewriteRules.TryApply(new GitRewriteRule(pattern, "https://x/{path}"), path, out _));
    }
}
