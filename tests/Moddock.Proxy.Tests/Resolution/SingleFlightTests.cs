using Moddock.Proxy.Resolution;
using Moddock.Proxy.Tests.Support;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Resolution;

public sealed class SingleFlightTests
{
    [Fact]
    public async Task Run_200ConcurrentCallersOneKey_WorkRunsOnceAndAllGetItsResult()
    {
        var flights = new SingleFlight<string, object>();
        var release = new TaskCompletionSource();
        var runs = 0;
        var result = new object();

        var callers = Enumerable.Range(0, 200).Select(_ => flights.RunAsync(
            "k",
            async () =>
            {
                Interlocked.Increment(ref runs);
                await release.Task;
                return result;
            },
            default)).ToList();
        await WaitUntilAsync(() => flights.Started == 1);
        release.SetResult();
        var results = await Task.WhenAll(callers);

        Assert.Equal(1, runs);
        Assert.All(results, r => Assert.Same(result, r));
    }

    [Fact]
    public async Task Run_OneWaiterCancelled_OthersStillGetTheResult()
    {
        var flights = new SingleFlight<string, string>();
        var release = new TaskCompletionSource();
        using var cancel = new CancellationTokenSource();
        Func<Task<string>> work = async () =>
        {
            await release.Task;
            return "done";
        };

        var leaving = flights.RunAsync("k", work, cancel.Token);
        var staying = flights.RunAsync("k", work, default);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        release.SetResult();

        Assert.Equal("done", await staying);
        Assert.Equal(1, flights.Started);
    }

    [Fact]
    public async Task Run_AfterFlightEnds_NextCallStartsANewFlight()
    {
        var flights = new SingleFlight<string, int>();
        var n = 0;
        Assert.Equal(1, await flights.RunAsync("k", () => Task.FromResult(Interlocked.Increment(ref n)), default));
        await WaitUntilAsync(() => flights.RunAsync("k", () => Task.FromResult(Interlocked.Increment(ref n)), default).Result > 1);
        Assert.Equal(2, flights.Started);
    }

    [Fact]
    public async Task Run_WorkThrows_WaitersSeeTheException()
    {
        var flights = new SingleFlight<string, int>();
        await Assert.ThrowsAsync<InvalidOperationException>(() => flights.RunAsync("k", () => Task.FromException<int>(new InvalidOperationException("bug")), default));
    }

    [Fact]
    public async Task Resolve_200ConcurrentRequestsForOneUncachedZip_OneUpstreamFetchSameBytes()
    {
        var m = TestModule.Large("example.com/popular", "v1.0.0", 256);
        var source = new FakeSource("up", m) { ZipGate = new TaskCompletionSource() };
        var h = ResolverHarness.Over(source);

        var requests = Enumerable.Range(0, 200).Select(async _ => await ResolverHarness.ReadAsync(await h.GetAsync(m, Proxy.ArtifactKind.Zip))).ToList();
        await WaitUntilAsync(() => source.ZipCalls == 1);
        source.ZipGate.SetResult();
        var bodies = await Task.WhenAll(requests);

        Assert.Equal(1, source.ZipCalls);
        Assert.All(bodies, b => Assert.Equal(m.Zip, b));
    }

    internal static Task WaitUntilAsync(Func<bool> condition) => Eventually.TrueAsync(condition);
}
