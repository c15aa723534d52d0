using Moddock.Server.Hosting;

namespace Moddock.Server.Configuration;

/// <summary>
/// Validates tls-cert / tls-key: both or neither, readable files, PEM, a key that belongs to the certificate,
/// and a certificate that clients would accept today. The files are loaded here once, exactly as the
/// listener will load them, so a server that starts is a server that can answer https.
/// </summary>
internal static class TlsSettings
{
    public static (string? Cert, string? Key) Read(SettingReader v, Func<string, string?> environment, TimeProvider time)
    {
        var cert = v.Text(ServeSettingKeys.TlsCert, "") is { Length: > 0 } c ? ServeOptionsBuilder.ExpandHome(c, environment) : null;
        var key = v.Text(ServeSettingKeys.TlsKey, "") is { Length: > 0 } k ? ServeOptionsBuilder.ExpandHome(k, environment) : null;
        if (cert is null && key is null)
        {
            return (null, null);
        }

        if (cert is null || key is null)
        {
            var (missing, given) = cert is null ? (ServeSettingKeys.TlsCert, ServeSettingKeys.TlsKey) : (ServeSettingKeys.TlsKey, ServeSettingKeys.TlsCert);
            v.Problem(missing, $"must be set together with {given}: HTTPS needs both the certificate and its key");
            return (null, null);
        }

        var problems = new List<(string Key, string Message)>();
        TlsPemLoader.Load(cert, key, time.GetUtcNow(), problems);
        foreach (var (settingKey, message) in problems)
        {
            v.Problem(settingKey, message);
        }

        return (cert, key);
    }
}
