using System.Net;
using System.Text;
using Moddock.Modules;
using Moddock.Proxy.Sources;
using Moddock.Proxy.Sources.Git;
using Moddock.Testing;

namespace Moddock.Proxy.Tests.Sources.Git.Finding;

/// <summary>
/// A `mod` go-import tag hands a module to a GOPROXY that any module author names: it is untrusted. A
/// proxy that never answers, or answers without end, must fail the request like a hanging or huge git
/// repository does, not hold it forever or fill the memory.
/// </summary>
public sealed class ModProxyHandOffTests
{
    private const string Page = "<html><head><meta name=\"go-import\" content=\"evil.example/m mod https://proxy.evil.example\"></head></html>";

    /// <summary>Discovery answers at once; the proxy hangs, or streams an endless body.</summary>
    private sealed class HostileWeb : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.ToString();
            if (url.EndsWith("?go-get=1", StringComparison.Ordinal))
            {
                return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Page, Encoding.UTF8, "text/html") };
            }

            if (url.Contains("/@v/v1.0.0.info", StringComparison.Ordinal))
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new EndlessStream()) };
        }
    }

    /// <summary>'a' forever (a module path line that never ends), counting what was read.</summary>
    private sealed class EndlessStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)'a', offset, count);
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static DirectSource NewSource(HttpMessageHandler web) => new(
        new DirectSourceOptions
        {
            StorageDirectory = TestEnvironment.NewTempDir("direct-mod-hostile"),
            GitTimeout = TimeSpan.FromSeconds(2),
            RefreshInterval = TimeSpan.Zero,
            NetrcPath = "/dev/null",
        },
        httpHandler: web);

    [Fact]
    public async Task Info_ModProxyNeverAnswers_TimeoutFailure()
    {
        using var web = new HostileWeb();
        using var source = NewSource(web);

        // Bounded so that a regression fails the test instead of hanging the run.
        var info = await source.InfoAsync(ModulePath.Parse("evil.example/m"), "v1.0.0", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(SourceFailureKind.Timeout, info.Failure?.Kind);
        Assert.Contains("proxy.evil.example", info.Failure!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModListZip_ModProxyBodyWithoutEnd_RefusedAtTheLimit()
    {
        using var web = new HostileWeb();
        using var source = NewSource(web);
        var path = ModulePath.Parse("evil.example/m");

        var mod = await source.ModAsync(path, ModuleVersion.Parse("v1.1.0"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        var list = await source.ListAsync(path, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        var latest = await source.LatestAsync(path, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(SourceFailureKind.Invalid, mod.Failure?.Kind);
        Assert.Contains("larger than", mod.Failure!.Reason, StringComparison.Ordinal);
        Assert.Equal(SourceFailureKind.Invalid, list.Failure?.Kind);
        Assert.Contains("larger than", list.Failure!.Reason, StringComparison.Ordinal);
        Assert.Equal(SourceFailureKind.Invalid, latest.Failure?.Kind);
        Assert.Contains("larger than", latest.Failure!.Reason, StringComparison.Ordinal);
    }
}
