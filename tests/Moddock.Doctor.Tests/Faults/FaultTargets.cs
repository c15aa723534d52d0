using Moddock.Testing;

namespace Moddock.Doctor.Tests.Faults;

/// <summary>Every fault target of the doctor's proof, started once per test class and stopped with it.</summary>
public sealed class FaultTargets : IDisposable
{
    public FaultTargets()
    {
        Dir = TestEnvironment.NewTempDir("doctor");
        Certs = new TestCertificates(Dir);
        Healthy = new FaultServer(FaultMode.Http, FaultServer.Healthy);
        NotFound = new FaultServer(FaultMode.Http, _ => (404, "not found: no such module"));
        ServerError = new FaultServer(FaultMode.Http, _ => (500, "storage backend unavailable"));
        Silent = new FaultServer(FaultMode.Silent);
        Reset = new FaultServer(FaultMode.Reset);
        ProxyAuth = new FaultServer(FaultMode.ProxyAuth);
        TlsValid = new FaultServer(FaultMode.Http, FaultServer.Healthy, Certs.Valid);
        TlsExpired = new FaultServer(FaultMode.Http, FaultServer.Healthy, Certs.Expired);
        TlsOtherHost = new FaultServer(FaultMode.Http, FaultServer.Healthy, Certs.OtherHost);
        TlsUntrusted = new FaultServer(FaultMode.Http, FaultServer.Healthy, Certs.Untrusted);
        ClosedPort = FreePort.Next();
    }

    public string Dir { get; }

    internal TestCertificates Certs { get; }

    internal FaultServer Healthy { get; }

    internal FaultServer NotFound { get; }

    internal FaultServer ServerError { get; }

    internal FaultServer Silent { get; }

    internal FaultServer Reset { get; }

    internal FaultServer ProxyAuth { get; }

    internal FaultServer TlsValid { get; }

    internal FaultServer TlsExpired { get; }

    internal FaultServer TlsOtherHost { get; }

    internal FaultServer TlsUntrusted { get; }

    public int ClosedPort { get; }

    public void Dispose()
    {
        foreach (var s in new[] { Healthy, NotFound, ServerError, Silent, Reset, ProxyAuth, TlsValid, TlsExpired, TlsOtherHost, TlsUntrusted })
        {
            s.Dispose();
        }

        Certs.Dispose();
    }
}
