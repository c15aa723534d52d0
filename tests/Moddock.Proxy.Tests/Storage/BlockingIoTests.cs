using Moddock.Proxy.Storage;

namespace Moddock.Proxy.Tests.Storage;

public sealed class BlockingIoTests
{
    [Fact]
    public async Task RunAsync_Work_RunsOffTheThreadPool()
    {
        var onPool = true;
        string? name = null;

        await BlockingIo.RunAsync(() =>
        {
            onPool = Thread.CurrentThread.IsThreadPoolThread;
            name = Thread.CurrentThread.Name;
        });

        Assert.False(onPool);
        Assert.Equal("moddock-durable-io", name);
    }

    [Fact]
    public async Task RunAsync_WorkThrows_TaskCarriesTheException()
    {
        var e = await Assert.ThrowsAsync<IOException>(() => BlockingIo.RunAsync(() => throw new IOException("disk full")));

        Assert.Equal("disk full", e.Message);
    }
}
