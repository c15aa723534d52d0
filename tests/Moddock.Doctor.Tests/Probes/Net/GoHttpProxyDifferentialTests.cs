using Moddock.Doctor.Probes.Net;
using Moddock.Testing;

namespace Moddock.Doctor.Tests.Probes.Net;

/// <summary>HTTP(S)_PROXY and NO_PROXY against Go itself: the doctorproxy oracle asks net/http.ProxyFromEnvironment.</summary>
public sealed class GoHttpProxyDifferentialTests
{
    private static readonly string[] Urls =
    [
        "https://corp.example/x", "https://a.corp.example/x", "https://corp.example:8443/x", "http://git.corp.example/x",
        "https://10.1.2.3/x", "https://[2001:db8::1]/x", "https://127.0.0.1:8080/x", "http://localhost/x", "https://proxy.golang.org/x",
        "https://xcorp.example/x", "https://sub.ok.example/x", "https://ok.example/x", "https://192.168.1.5:443/x",
    ];

    public static TheoryData<string, string, string> Configs() => new()
    {
        { "http://proxy:3128", "http://proxy:3128", string.Empty },
        { "http://proxy:3128", "proxy.corp:8080", "corp.example" },
        { string.Empty, "http://proxy:3128", ".corp.example" },
        { "http://h:1", "http://s:2", "*.corp.example,10.0.0.0/8" },
        { "http://h:1", "http://s:2", "corp.example:8443, .ok.example ,192.168.1.5" },
        { "http://h:1", "http://s:2", "*" },
        { "http://h:1", "http://s:2", "2001:db8::/32,https://corp.example,*corp.example" },
        { "http://h:1", "http://user:pw@s:2", "[2001:db8::1]:443,ok.example" },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void ProxyFor_Config_MatchesGo(string httpProxy, string httpsProxy, string noProxy)
    {
        var env = new Dictionary<string, string?>
        {
            ["HTTP_PROXY"] = httpProxy, ["HTTPS_PROXY"] = httpsProxy, ["NO_PROXY"] = noProxy,
            ["http_proxy"] = null, ["https_proxy"] = null, ["no_proxy"] = null, ["REQUEST_METHOD"] = null,
        };
        var r = ProcessRunner.Run(TestEnvironment.Oracle("doctorproxy"), Urls, env: env, timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(0, r.ExitCode);
        var fromGo = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var ours = new GoHttpProxy(httpProxy, httpsProxy, noProxy);
        var mine = Urls.Select(u => ours.ProxyFor(new Uri(u)) is { } p ? $"{p.Scheme}://{(p.UserInfo.Length > 0 ? p.UserInfo + "@" : string.Empty)}{p.Authority}" : "none").ToArray();

        Assert.Equal(fromGo, mine);
    }
}
