using Moddock.Modules;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Tests.Support;

namespace Moddock.Proxy.Tests.Sources;

public sealed class SourceChainTests
{
    private static readonly TestModule M = new("example.com/m", "v1.0.0");
    private static readonly ModulePath Private = ModulePath.Parse("corp.example.com/secret");

    public static TheoryData<SourceFailureKind, bool, bool> Matrix()
    {
        // failure of the first upstream, separator after it ('|' = true), whether the second upstream is asked.
        var data = new TheoryData<SourceFailureKind, bool, bool>();
        foreach (var kind in Enum.GetValues<SourceFailureKind>())
        {
            var notFound = kind is SourceFailureKind.NotFound or SourceFailureKind.Gone;
            data.Add(kind, false, notFound);
            data.Add(kind, true, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Fetch_FirstUpstreamFails_FallsThroughPerSeparator(SourceFailureKind kind, bool pipe, bool secondAsked)
    {
        var first = new FakeSource("first") { FailWith = new SourceFailure(kind, "first: " + kind) };
        var second = new FakeSource("second", M);
        var chain = new SourceChain([ChainEntry.Upstream(first, pipe), ChainEntry.Upstream(second, false)], new DirectUnavailableSource(), _ => false);

        var r = await chain.FetchAsync(M.Path, (s, ct) => s.ModAsync(M.Path, M.Version, ct), default);

        Assert.Equal(secondAsked ? 1 : 0, second.Calls);
        Assert.Equal(secondAsked, r.Result.IsSuccess);
        Assert.Equal(secondAsked ? "second" : "first", r.Source);
    }

    [Fact]
    public async Task Fetch_ErrorSkippedByPipeThenNotFound_AnswersNotFound()
    {
        var dead = new FakeSource("dead") { FailWith = new SourceFailure(SourceFailureKind.Refused, "refused") };
        var empty = new FakeSource("empty");
        var chain = new SourceChain([ChainEntry.Upstream(dead, true), ChainEntry.Upstream(empty, false)], new DirectUnavailableSource(), _ => false);

        var r = await chain.FetchAsync(M.Path, (s, ct) => s.ListAsync(M.Path, ct), default);

        Assert.Equal(SourceFailureKind.NotFound, r.Result.Failure!.Kind);
    }

    [Fact]
    public async Task Fetch_AllUpstreamsErrorWithPipe_AnswersFirstError()
    {
        var a = new FakeSource("a") { FailWith = new SourceFailure(SourceFailureKind.Timeout, "a timed out") };
        var b = new FakeSource("b") { FailWith = new SourceFailure(SourceFailureKind.Refused, "b refused") };
        var chain = new SourceChain([ChainEntry.Upstream(a, true), ChainEntry.Upstream(b, true)], new DirectUnavailableSource(), _ => false);

        var r = await chain.FetchAsync(M.Path, (s, ct) => s.ListAsync(M.Path, ct), default);

        Assert.Equal("a timed out", r.Result.Failure!.Reason);
    }

    [Fact]
    public async Task Fetch_PrivatePath_OnlyDirectIsAsked()
    {
        var upstream = new FakeSource("up", M);
        var direct = new FakeSource("direct");
        var chain = new SourceChain([ChainEntry.Upstream(upstream, false), ChainEntry.Direct], direct, p => p.Value.StartsWith("corp.", StringComparison.Ordinal));

        var r = await chain.FetchAsync(Private, (s, ct) => s.ListAsync(Private, ct), default);

        Assert.Equal(0, upstream.Calls);
        Assert.Equal(1, direct.Calls);
        Assert.Equal("direct", r.Source);
    }

    [Fact]
    public async Task Fetch_PrivatePathWithOffList_StillGoesDirect()
    {
        var direct = new FakeSource("direct", new TestModule("corp.example.com/secret", "v1.0.0"));
        var chain = new SourceChain([ChainEntry.Off], direct, _ => true);

        var r = await chain.FetchAsync(Private, (s, ct) => s.ListAsync(Private, ct), default);

        Assert.True(r.Result.IsSuccess);
    }

    [Fact]
    public async Task Fetch_Off_NotFoundAndLaterEntriesIgnored()
    {
        var later = new FakeSource("later", M);
        var chain = new SourceChain([ChainEntry.Off, ChainEntry.Upstream(later, false)], new DirectUnavailableSource(), _ => false);

        var r = await chain.FetchAsync(M.Path, (s, ct) => s.ListAsync(M.Path, ct), default);

        Assert.Equal(SourceFailureKind.NotFound, r.Result.Failure!.Kind);
        Assert.Equal(SourceChain.OffReason, r.Result.Failure.Reason);
        Assert.Equal(0, later.Calls);
    }

    [Fact]
    public async Task Fetch_DirectUnavailable_NotFoundSayingSo()
    {
        var empty = new FakeSource("empty");
        var chain = new SourceChain([ChainEntry.Upstream(empty, false), ChainEntry.Direct], new DirectUnavailableSource(), _ => false);

        var r = await chain.FetchAsync(M.Path, (s, ct) => s.InfoAsync(M.Path, "v1.0.0", ct), default);

        Assert.Equal(SourceFailureKind.NotFound, r.Result.Failure!.Kind);
        Assert.Equal("direct mode is not available", r.Result.Failure.Reason);
        Assert.Equal("direct", r.Source);
    }
}
