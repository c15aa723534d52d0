using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Tests.Reporting;

public sealed class FixSuggestionsTests
{
    [Fact]
    public void For_InvalidModulePathWithQuote_FixIsOneShellWord()
    {
        // `grep -rn '"a'b' ...` left the shell waiting for a closing quote.
        var fix = FixSuggestions.For(CauseIds.InvalidModulePath, Where.Local, new FixContext(Module: "example.com/a'b"));

        Assert.Equal("grep -rnF '\"example.com/a'\\''b' --include=*.go --include=go.mod .", fix);
    }
}
