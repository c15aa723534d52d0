using Moddock.Doctor.Lint;
using Moddock.Doctor.Reporting;
using Moddock.Doctor.Routes;
using Moddock.Doctor.Settings;
using Moddock.Modules;

namespace Moddock.Doctor.Probes;

/// <summary>
/// What to probe, derived from the routes: each GOPROXY URL with a real `@v/list` request, the checksum
/// database the way the go command reaches it (through the first proxy if it answers
/// `/sumdb/NAME/supported`, else directly), and for modules fetched directly their repository host,
/// `?go-get=1` page and `git ls-remote`.
/// </summary>
internal static class ProbePlan
{
    public static List<ProbeStep> Build(GoSettings s, IReadOnlyList<ModuleRoute> routes, IReadOnlyList<string> modules)
    {
        var steps = new List<ProbeStep>();
        if (!GoProxyList.TryParse(s["GOPROXY"], out var entries, out _) || (s["GOPROXY"].Length > 0 && s["GOPROXY"].Trim(' ', '\t', ',', '|').Length == 0))
        {
            entries = [];
        }

        var noProxy = PathPatterns.Parse(s["GONOPROXY"]);
        var probeModule = modules.FirstOrDefault(m => !noProxy.Matches(m) && ModulePathChecks.CheckPath(m) is null) ?? ModuleSelection.WellKnownModule;
        ModuleEscaping.TryEscapePath(probeModule, out var escaped, out _);
        var list = entries.Where(e => e.Kind != ProxyEntryKind.NoProxy).TakeWhile(e => e.Kind == ProxyEntryKind.Url).ToList();
        var afterUrls = entries.Where(e => e.Kind != ProxyEntryKind.NoProxy).SkipWhile(e => e.Kind == ProxyEntryKind.Url).FirstOrDefault();
        for (var i = 0; i < list.Count; i++)
        {
            var e = list[i];
            var hasNext = i < list.Count - 1 || afterUrls?.Kind == ProxyEntryKind.Direct;
            var url = new Uri(e.Url!.TrimEnd('/') + "/");
            var target = new ProbeTarget("proxy " + SecretRedactor.Redact(e.Url), url, Where.Proxy, escaped + "/@v/list", probeModule, hasNext, hasNext && e.FallBackOnAnyError);
            if (url.Scheme == "file")
            {
                steps.Add(new ProbeStep(target.Label, Where.Proxy, false, (_, _, _) => Task.FromResult(new List<DoctorCheck> { FileProxyProbe.Probe(target) })));
            }
            else
            {
                steps.Add(new ProbeStep(target.Label, Where.Proxy, url.Scheme == "https", async (ctx, _, ct) =>
                {
                    var (checks, http) = await EndpointProber.ProbeAsync(target, ctx, ct).ConfigureAwait(false);
                    if (EndpointProber.Clock(http?.Date, url.Host, ctx) is { } clock)
                    {
                        checks.Add(clock);
                    }

                    if (http?.Status is not null)
                    {
                        // The server answered HTTP: if it is a Moddock, add what it knows about its own upstreams.
                        checks.AddRange(await ModdockStatus.ProbeAsync(target, ctx, ct).ConfigureAwait(false));
                    }

                    return checks;
                }));
            }
        }

        var sumdb = GosumdbSetting.Parse(s["GOSUMDB"]);
        var anyChecksum = routes.Count == 0 || routes.Any(r => r.ChecksumDb);
        if (!sumdb.Off && sumdb.Error is null && anyChecksum)
        {
            steps.Add(SumdbStep(sumdb, list.FirstOrDefault(e => !e.Url!.StartsWith("file:", StringComparison.Ordinal))?.Url));
        }

        var direct = routes.Where(r => r.StartsDirect).Select(r => r.Module).ToList();
        if (direct.Count > 0)
        {
            steps.Add(new ProbeStep("git tooling", Where.Vcs, false, (ctx, env, ct) => DirectChecks.ToolingAsync(env, ctx, ct)));
            foreach (var m in direct.Take(10))
            {
                steps.Add(DirectStep(m));
            }
        }

        return steps;
    }

    private static ProbeStep SumdbStep(GosumdbSetting sumdb, string? firstProxy)
    {
        var name = sumdb.Name!;
        var label = "checksum database " + name;
        return new ProbeStep(label, Where.Sumdb, true, async (ctx, _, ct) =>
        {
            var checks = new List<DoctorCheck>();
            if (sumdb.Url is null && firstProxy is not null)
            {
                // cmd/go asks the first proxy whether it proxies the checksum database (modfetch/sumdb.go).
                var proxyBase = new Uri(firstProxy.TrimEnd('/') + "/");
                var viaProxy = new ProbeTarget(label + " via " + SecretRedactor.Redact(firstProxy), proxyBase, Where.Sumdb, $"sumdb/{name}/supported", null);
                var supported = await HttpLayer.GetAsync(viaProxy, new Uri(proxyBase, $"sumdb/{name}/supported"), ctx, ct).ConfigureAwait(false);
                if (supported.Status == 200)
                {
                    checks.Add(supported.Check with { Detail = $"{SecretRedactor.Redact(firstProxy)} proxies {name}: {supported.Check.Detail}" });
                    return checks;
                }

                if (supported.Status is not (404 or 410))
                {
                    if (supported.Status is not null)
                    {
                        checks.Add(supported.Check);
                    }

                    return checks; // no answer at all: the proxy's own probe names the cause
                }
            }

            var baseUrl = sumdb.Url ?? new Uri("https://" + name + "/");
            var target = new ProbeTarget(label, new Uri(baseUrl.ToString().TrimEnd('/') + "/"), Where.Sumdb, "latest", null);
            var (found, _) = await EndpointProber.ProbeAsync(target, ctx, ct).ConfigureAwait(false);
            checks.AddRange(found);
            return checks;
        });
    }

    private static ProbeStep DirectStep(string module)
    {
        var host = module.Split('/')[0];
        var label = "repository of " + module;
        return new ProbeStep(label, Where.Vcs, true, async (ctx, env, ct) =>
        {
            var repoHost = new ProbeTarget("repository host " + host, new Uri("https://" + host + "/"), Where.Vcs, null, module);
            var (checks, _) = await EndpointProber.ProbeAsync(repoHost, ctx, ct).ConfigureAwait(false);
            if (checks.Any(c => c.Status == CheckStatus.Fail))
            {
                return checks;
            }

            var repo = DirectChecks.StaticRepo(module);
            if (repo is null)
            {
                var page = new Uri($"https://{module}?go-get=1");
                var goGet = new ProbeTarget("go-get " + module, page, Where.GoGet, null, module);
                var http = await HttpLayer.GetAsync(goGet, page, ctx, ct).ConfigureAwait(false);
                if (http.Status != 200 || http.Body is null)
                {
                    checks.Add(http.Check);
                    return checks;
                }

                var (found, error) = DirectChecks.ParseGoImport(http.Body, module);
                if (found is null)
                {
                    checks.Add(new DoctorCheck("go-get " + module, module, Where.GoGet, CheckStatus.Fail, CauseIds.VcsNoGoImport, error!, FixSuggestions.For(CauseIds.VcsNoGoImport, Where.GoGet, new FixContext(host, module, null, null)), http.Check.ElapsedMs));
                    return checks;
                }

                checks.Add(http.Check with { Detail = "go-import → " + SecretRedactor.Redact(found) });
                repo = found;
            }

            checks.Add(await DirectChecks.LsRemoteAsync(module, repo, env, ctx, ct).ConfigureAwait(false));
            if (await DirectChecks.SshBatchModeAsync(module, host, env, ctx, ct).ConfigureAwait(false) is { } sshCheck)
            {
                checks.Add(sshCheck);
            }

            return checks;
        });
    }
}
