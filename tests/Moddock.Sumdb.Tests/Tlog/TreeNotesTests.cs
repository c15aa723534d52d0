using System.Text;
using Moddock.Sumdb.Tests.Support;
using Moddock.Sumdb.Tlog;

namespace Moddock.Sumdb.Tests.Tlog;

public sealed class TreeNotesTests
{
    [Fact]
    public void TryParseTree_GoGoldenTree_ParsesAndIgnoresJunk()
    {
        // tlog/note_test.go TestParseTree: `in` is the golden note text for goldN.
        var src = GoTestData.Read("tlog/note_test.go");
        var input = GoTestData.Assigned(src, "in");
        Assert.True(TreeNotes.TryParseTree(input, out var tree));
        Assert.Equal(123456789012, tree.N);
        Assert.Equal(input, TreeNotes.FormatTree(tree));
        Assert.True(TreeNotes.TryParseTree(input + "JOE", out _));
        Assert.True(TreeNotes.TryParseTree(input + string.Concat(Enumerable.Repeat("JOE\n", 1000)), out _));
        Assert.False(TreeNotes.TryParseTree("not-" + input, out _));
        Assert.False(TreeNotes.TryParseTree("go.sum database tree\n0xabcdef\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n", out _));
        Assert.False(TreeNotes.TryParseTree("go.sum database tree\n0123\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n", out _));
        Assert.False(TreeNotes.TryParseTree("go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBTOOBIG=\n", out _));
    }

    [Fact]
    public void TryParseRecord_GoCases_Agree()
    {
        Assert.True(TreeNotes.TryParseRecord(Latin1("123456789012\nhello, world\n\njunk on end\x01\xff"), out var id, out var text, out var rest));
        Assert.Equal(123456789012, id);
        Assert.Equal("hello, world\n", Encoding.UTF8.GetString(text));
        Assert.Equal(Latin1("junk on end\x01\xff"), rest);
        Assert.Equal(Encoding.UTF8.GetBytes("123456789012\nhello, world\n\n"), TreeNotes.FormatRecord(123456789012, "hello, world\n"u8));
        foreach (var bad in new[] { "not-123\nhello world\n\n", "123\nhello\x01world\n\n", "123\nhello\xffworld\n\n", "123\nhello world\n", "0x123\nhello world\n\n" })
        {
            Assert.False(TreeNotes.TryParseRecord(Latin1(bad), out _, out _, out _), bad);
        }

        foreach (var bad in new[] { "", "hello\nworld", "hello\n\nworld\n", "hello\x01world\n" })
        {
            Assert.False(TreeNotes.IsValidRecordText(Latin1(bad)));
        }
    }

    private static byte[] Latin1(string s) => s.Select(c => (byte)c).ToArray();
}
