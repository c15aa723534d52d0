using Moddock.Doctor.Lint;
using Moddock.Doctor.Probes;
using Moddock.Doctor.Probes.Dns;
using Moddock.Doctor.Probes.Net;
using Moddock.Doctor.Probes.Tls;
using Moddock.Doctor.Reporting;
using Moddock.Doctor.Routes;
using Moddock.Doctor.Settings;
using Moddock.Modules;

namespace Moddock.Doctor;

/// <summary>
/// The whole doctor run, top to bottom: read the settings, lint them, show each module's route, then probe
/// every endpoint the routes use — all probes at once, all within one deadline — and add what this machine
/// looks like. Checks come back in that order.
/// </summary>
internal static class DoctorRunner
{
    public static async Task<DoctorReport> RunAsync(DoctorOptions o, Action<string>? progress, CancellationToken ct)
    {
        var time = o.Time;
        // Leave room for reporting after the probes: the whole command must end within --timeout.
        var budget = o.Timeout - TimeSpan.FromMilliseconds(Math.Clamp(o.Timeout.TotalMilliseconds * 0.15, 100, 1000));
        var deadline = time.GetUtcNow() + budget;
        var checks = new List<DoctorCheck>();
        var trust = Task.Run(() => TrustStore.Load(o.Environment), ct);

        progress?.Invoke("reading Go settings");
        var go = GoSettingsReader.FindGo(o.Environment);
        var settings = await GoSettingsReader.ReadAsync(o.Environment, go, TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(5).Ticks, budget.Ticks / 3)), ct).ConfigureAwait(false);
        checks.Add(DoctorCheck.Ok("settings", go ?? "no go command", settings.Source + (settings.GoVersion is null ? string.Empty : $", {settings.GoVersion}"), 0, Where.Local));
        foreach (var s in settings.Values.Values)
        {
            checks.Add(DoctorCheck.Ok("setting " + s.Name, s.Value.Length == 0 ? null : s.Value, s.Value.Length == 0 ? $"empty ({s.OriginDetail})" : $"from {s.OriginDetail}", 0, Where.Local));
        }

        var selection = ModuleSelection.From(o.Modules, o.WorkingDirectory);
        if (selection.Problem is not null)
        {
            checks.Add(selection.Problem);
        }

        checks.AddRange(SettingsLinter.Lint(settings, selection.Modules));

        var routes = new List<ModuleRoute>();
        foreach (var m in selection.Modules.Take(50))
        {
            if (ModulePathChecks.CheckPath(m) is { } bad)
            {
                checks.Add(new DoctorCheck("route " + m, m, Where.Local, CheckStatus.Fail, CauseIds.InvalidModulePath, bad.Message.StartsWith("malformed module path", StringComparison.Ordinal) ? bad.Message : $"malformed module path \"{m}\": {bad.Message}", FixSuggestions.For(CauseIds.InvalidModulePath, Where.Local, new FixContext(null, m, null, null)), 0));
                continue;
            }

            if (RoutePlanner.Plan(m, settings) is { } route)
            {
                routes.Add(route);
                checks.Add(DoctorCheck.Ok("route " + m, m, route.Describe(), 0));
            }
        }

        var resolv = ResolvConf.Load();
        var ctx = new ProbeContext(time, deadline, new HostResolver(resolv), GoHttpProxy.FromEnvironment(o.Environment), new Lazy<TrustStore>(() => trust.GetAwaiter().GetResult()))
        {
            Progress = progress,
        };
        var plan = ProbePlan.Build(settings, routes, selection.Modules);
        var tasks = plan.Select(p => p.Run(ctx, o.Environment, ct)).ToList();
        var all = Task.WhenAll(tasks);
        try
        {
            await all.WaitAsync(ctx.Remaining + TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Every probe bounds itself by the deadline and its failures are read per task below.
        }

        foreach (var (task, step) in tasks.Zip(plan))
        {
            if (task.IsCompletedSuccessfully)
            {
                checks.AddRange(task.Result);
            }
            else
            {
                var cause = task.IsFaulted ? TcpFailure.FromException(task.Exception!.GetBaseException())?.Cause : CauseIds.HttpTimeout;
                checks.Add(new DoctorCheck(step.Label, null, step.Where, CheckStatus.Fail, cause, task.IsFaulted ? "probe failed: " + task.Exception!.GetBaseException().Message : "did not finish before the deadline", null, budget.TotalMilliseconds));
            }
        }

        var needsTls = plan.Any(p => p.NeedsTls);
        checks.AddRange(EnvironmentChecks.Check(resolv, ctx, needsTls));
        if (settings.GoError is { } goError)
        {
            checks.Add(new DoctorCheck("go env", go, Where.Local, CheckStatus.Warn, null, goError + "; settings were read from the environment and the go env file instead", "go env", 0));
        }

        return new DoctorReport(checks.Select(c => c with { Fix = EnvironmentFix.For(c.Fix, settings) }).ToList());
    }
}
