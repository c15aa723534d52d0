using System.Globalization;
using System.Text.Json;
using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Probes;

/// <summary>
/// When a GOPROXY entry is a Moddock, its own view of the network: `/readyz` lists each of its upstreams with
/// the circuit state and the last failure, and whether its storage is writable. A go command behind Moddock
/// only ever sees "502 Bad Gateway"; this says which upstream failed on the Moddock host and why, with the
/// cause ids the doctor uses everywhere else. Any other server (404, not JSON, another shape) adds nothing.
/// </summary>
internal static class ModdockStatus
{
    /// <summary>A failure older than this with the circuit closed again is history, not a problem.</summary>
    private static readonly TimeSpan Recent = TimeSpan.FromMinutes(10);

    public static async Task<List<DoctorCheck>> ProbeAsync(ProbeTarget proxy, ProbeContext ctx, CancellationToken ct)
    {
        if (ctx.Remaining <= TimeSpan.Zero)
        {
            return [];
        }

        var target = proxy with { RequestPath = "readyz", FallsBackOnNotFound = true, FallsBackOnAnyError = true };
        var url = new Uri(proxy.BaseUrl.ToString().TrimEnd('/') + "/readyz");
        var http = await HttpLayer.GetAsync(target, url, ctx, ct).ConfigureAwait(false);
        return http.Body is { } body && http.Status is 200 or 503
            ? Interpret(proxy.Label, body, ctx.Time.GetUtcNow())
            : [];
    }

    /// <summary>The checks for one `/readyz` answer; empty when it is not Moddock's.</summary>
    public static List<DoctorCheck> Interpret(string label, string body, DateTimeOffset now)
    {
        var checks = new List<DoctorCheck>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return checks;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("upstreams", out var upstreams) || upstreams.ValueKind != JsonValueKind.Array
                || !root.TryGetProperty("storage", out var storage) || storage.ValueKind != JsonValueKind.Object)
            {
                return checks;
            }

            // The label is "proxy URL"; the sentences name the URL.
            var at = label.StartsWith("proxy ", StringComparison.Ordinal) ? label["proxy ".Length..] : label;
            var path = Text(storage, "path");
            if (storage.TryGetProperty("writable", out var w) && w.ValueKind == JsonValueKind.False)
            {
                checks.Add(new DoctorCheck("moddock storage", label, Where.Proxy, CheckStatus.Fail, CauseIds.HttpServerError,
                    $"the Moddock at {at} cannot write its storage {path}: {Text(storage, "problem") ?? "not writable"}; it answers what it has stored and 5xx for the rest",
                    "df -h " + (path ?? "/var/lib/moddock") + "   # on the Moddock host", 0));
            }

            if (root.TryGetProperty("offline", out var off) && off.ValueKind == JsonValueKind.True)
            {
                checks.Add(new DoctorCheck("moddock offline", label, Where.Proxy, CheckStatus.Warn, null,
                    $"the Moddock at {at} runs --offline: modules it has not stored answer 404 at once", null, 0));
            }

            foreach (var u in upstreams.EnumerateArray())
            {
                if (Upstream(label, at, u, now) is { } c)
                {
                    checks.Add(c);
                }
            }
        }

        return checks;
    }

    private static DoctorCheck? Upstream(string label, string at, JsonElement u, DateTimeOffset now)
    {
        var name = Text(u, "name");
        if (name is null)
        {
            return null;
        }

        var state = Text(u, "state") ?? "closed";
        var failure = Text(u, "lastFailure");
        var failedAt = Text(u, "lastFailureAt") is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : (DateTimeOffset?)null;
        var checkName = "moddock upstream " + SecretRedactor.Redact(name);
        // Polly's circuit states; "n/a", "unknown" and "offline" mean the upstream has no circuit (direct, --offline).
        var open = state is "open" or "half-open" or "isolated";
        var recent = failure is not null && failedAt is { } when && now - when < Recent;
        if (!open && !recent)
        {
            var detail = failure is null ? "no failures" : $"circuit closed; last failure {Ago(now, failedAt)}: {SecretRedactor.Redact(failure)}";
            return DoctorCheck.Ok(checkName, label, detail, 0, Where.Proxy);
        }

        var cause = failure is null ? CauseIds.HttpServerError : ModdockFailureText.Cause(failure);
        var what = open ? $"circuit {state}: the Moddock at {at} skips it" : "failed recently";
        var why = failure is null ? string.Empty : $"; last failure {Ago(now, failedAt)}: {SecretRedactor.Redact(failure)}";
        // The failure is on the Moddock host's route to this upstream: the doctor run there, pointed at that
        // upstream, walks the same layers from where it matters.
        var fix = $"GOPROXY={SecretRedactor.ForFix(name)} moddock doctor   # on the Moddock host";
        return new DoctorCheck(checkName, label, Where.Proxy, CheckStatus.Warn, cause, what + why, fix, 0);
    }

    private static string Ago(DateTimeOffset now, DateTimeOffset? at) =>
        at is { } t ? Math.Max(0, (now - t).TotalSeconds).ToString("0", CultureInfo.InvariantCulture) + " s ago" : "at an unknown time";

    private static string? Text(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
