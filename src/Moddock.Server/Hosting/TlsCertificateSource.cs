using System.Net.Security;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Moddock.Server.Configuration;

namespace Moddock.Server.Hosting;

/// <summary>
/// The certificate of the TLS listener (--tls-cert / --tls-key), and the hook that puts TLS on Kestrel's
/// listen address. A new connection first looks whether either file changed (at most every
/// <see cref="RecheckInterval"/>, a stat of two files) and, if so, reloads them: certificate rotation
/// (certbot, cert-manager) needs no restart. Files that do not load (e.g. the key not written yet) keep the
/// previous certificate and are retried when they change again.
/// </summary>
internal sealed class TlsCertificateSource
{
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(2);

    /// <summary>Warn at start when the certificate has less than this left.</summary>
    private static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(14);

    private readonly string? _certPath;
    private readonly string? _keyPath;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private TlsCertificate? _current;
    private TlsFileStamp? _lastSeen;
    private bool _retryUntilValid; // the files last seen hold a pair refused only because it is not valid yet
    private long _nextCheckTicks; // UTC ticks; read without the lock on every connection

    public TlsCertificateSource(ServeOptions options, TimeProvider time, ILogger<TlsCertificateSource> logger)
    {
        _certPath = options.TlsCert;
        _keyPath = options.TlsKey;
        _time = time;
        _logger = logger;
        if (_certPath is null || _keyPath is null)
        {
            return;
        }

        var problems = new List<(string Key, string Message)>();
        _current = TlsPemLoader.Load(_certPath, _keyPath, time.GetUtcNow(), problems)
            ?? throw new InvalidOperationException("TLS certificate: " + string.Join("; ", problems.Select(p => p.Key + ": " + p.Message)));
        _lastSeen = _current.Stamp;
        Volatile.Write(ref _nextCheckTicks, (time.GetUtcNow() + RecheckInterval).UtcTicks);
        TlsLog.Loaded(_logger, _current.Subject, _current.NotAfter);
        var left = _current.NotAfter - time.GetUtcNow();
        if (left < ExpiryWarning)
        {
            TlsLog.Expiring(_logger, _current.Subject, _current.NotAfter, (int)left.TotalDays);
        }
    }

    public bool Enabled => _current is not null;

    /// <summary>The certificate new connections get; null when TLS is off.</summary>
    public TlsCertificate? Current
    {
        get
        {
            var current = Volatile.Read(ref _current);
            if (current is null || _time.GetUtcNow().UtcTicks < Volatile.Read(ref _nextCheckTicks))
            {
                return current;
            }

            lock (_lock)
            {
                var now = _time.GetUtcNow();
                if (now.UtcTicks >= _nextCheckTicks)
                {
                    Volatile.Write(ref _nextCheckTicks, (now + RecheckInterval).UtcTicks);
                    ReloadIfChanged(now);
                }

                return _current;
            }
        }
    }

    /// <summary>Puts TLS on a Kestrel listen address when a certificate is configured; plain http otherwise.</summary>
    public void Configure(ListenOptions listen)
    {
        if (!Enabled)
        {
            return;
        }

        listen.Use(PlainHttpOnTlsPort.Middleware(_time, _logger)); // before TLS: a plain request gets a reason, not a closed socket
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            HandshakeTimeout = TimeSpan.FromSeconds(10),
            OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = Current!.Context,
                // The go command speaks HTTP/2 when offered; HTTP/1.1 stays for curl and probes.
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            }),
        });
    }

    private void ReloadIfChanged(DateTimeOffset now)
    {
        var stamp = TlsFileStamp.Of(_certPath!, _keyPath!);
        if (stamp == _lastSeen && !_retryUntilValid)
        {
            return;
        }

        var changed = stamp != _lastSeen;
        _lastSeen = stamp;
        var problems = new List<(string Key, string Message)>();
        TlsCertificate? loaded;
        try
        {
            loaded = TlsPemLoader.Load(_certPath!, _keyPath!, now, problems);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // This runs on a connection's handshake path: a pair that cannot load keeps the old certificate,
            // it never fails the handshake. The next change of either file is tried again.
            loaded = null;
            problems.Add(("tls-cert", e.Message));
        }

        if (loaded is not null)
        {
            _retryUntilValid = false;
            Volatile.Write(ref _current, loaded);
            TlsLog.Reloaded(_logger, loaded.Subject, loaded.NotAfter);
            return;
        }

        // A renewed certificate often starts a little in the future (clock skew between its CA and this host): that
        // pair is tried again at every recheck until it is valid, since its files need not change again. Other
        // problems wait for the next change of the files. Refused once is logged once.
        _retryUntilValid = problems.Count > 0 && problems.All(p => p.Message.Contains(TlsPemLoader.NotYetValid, StringComparison.Ordinal));
        if (changed)
        {
            TlsLog.ReloadRefused(_logger, _current!.Subject, string.Join("; ", problems.Select(p => p.Key + ": " + p.Message)));
        }
    }
}
