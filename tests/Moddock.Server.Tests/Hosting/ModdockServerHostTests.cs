using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moddock.Modules;
using Moddock.Proxy;
using Moddock.Server.Configuration;
using Moddock.Server.Hosting;
using Moddock.Server.Tests.Support;
using Moddock.Testing;

namespace Moddock.Server.Tests.Hosting;

public sealed partial class ModdockServerHostTests
{
    [Fact]
    public async Task Start_ListenPortZero_LogsThePortItGot()
    {
        var options = TestServeOptions.Create(0, TestEnvironment.NewTempDir("host-storage"));
        var sink = new LogSink();
        await using var app = ModdockServerHost.Build(
            options,
            s => s.AddSingleton<IModuleResolver>(new FakeResolver()),
            l => l.ClearProviders().AddProvider(sink).SetMinimumLevel(LogLevel.Information));
        await app.StartAsync();
        try
        {
            var line = Assert.Single(sink.Lines, l => l.StartsWith("moddock serve listening on ", StringComparison.Ordinal));
            var port = int.Parse(ListeningPort().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

            Assert.NotEqual(0, port);
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Start_UpstreamsWithPasswords_ListeningLineShowsThemMasked()
    {
        // The start-up line named the upstream list exactly as configured, passwords included, while every
        // other place (readyz, request and failure lines) shows user:xxxxx@.
        var options = TestServeOptions.Create(0, TestEnvironment.NewTempDir("host-secrets"),
            "https://ci:SECRET1@mirror.example/go|http://tok%40en:SECRET2@127.0.0.1:1,https://SECRET3-as-user@other.example,direct");
        var sink = new LogSink();
        await using var app = ModdockServerHost.Build(
            options,
            s => s.AddSingleton<IModuleResolver>(new FakeResolver()),
            l => l.ClearProviders().AddProvider(sink).SetMinimumLevel(LogLevel.Information));
        await app.StartAsync();
        try
        {
            var line = Assert.Single(sink.Lines, l => l.StartsWith("moddock serve listening on ", StringComparison.Ordinal));

            Assert.DoesNotContain("SECRET", line, StringComparison.Ordinal);
            Assert.Contains("upstream https://ci:xxxxx@mirror.example/go|http://tok%40en:xxxxx@127.0.0.1:1,https://xxxxx@other.example,direct", line, StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+),")]
    private static partial Regex ListeningPort();
}
