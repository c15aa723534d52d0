using System.Net.Security;
using System.Net.Sockets;
using Moddock.Testing;

namespace Moddock.Doctor.Tests.Faults;

public sealed class FaultServerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task TlsServer_ClientHandshake_Completes()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        using var certs = new TestCertificates(TestEnvironment.NewTempDir("certs"));
        output.WriteLine($"certs {sw.ElapsedMilliseconds} ms");
        using var server = new FaultServer(FaultMode.Http, FaultServer.Healthy, certs.Valid);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Port);
        await using var ssl = new SslStream(client.GetStream(), false, (_, _, _, _) => true);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, cts.Token);
        output.WriteLine($"handshake done {sw.ElapsedMilliseconds} ms");
        Assert.True(ssl.IsAuthenticated);
    }
}
