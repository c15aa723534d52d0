using Moddock.Doctor.Lint;
using Moddock.Doctor.Settings;
using Moddock.Modules;

namespace Moddock.Doctor.Routes;

/// <summary>
/// cmd/go/internal/modfetch's routing (proxy.go lookup, sumdb.go useSumDB): a module matching GONOPROXY is
/// fetched directly even with GOPROXY=off; otherwise the GOPROXY entries are tried in order. The checksum
/// database is asked unless GOSUMDB=off or GONOSUMDB matches.
/// </summary>
internal static class RoutePlanner
{
    public static ModuleRoute? Plan(string module, GoSettings s)
    {
        if (!GoProxyList.TryParse(s["GOPROXY"], s["GONOPROXY"], out var entries, out _))
        {
            return null;
        }

        var noProxy = PathPatterns.Parse(s["GONOPROXY"]);
        var direct = noProxy.Matches(module);
        var steps = entries.Where(e => e.Kind != ProxyEntryKind.NoProxy).ToList();
        var sumdb = GosumdbSetting.Parse(s["GOSUMDB"]);
        var noSum = PathPatterns.Parse(s["GONOSUMDB"]);
        var (checksum, reason) = sumdb.Off ? (false, "checksum database: not asked (GOSUMDB=off)")
            : noSum.Matches(module) ? (false, "checksum database: not asked (GONOSUMDB matches)")
            : (true, $"checksum database: {sumdb.Name ?? s["GOSUMDB"]}");
        return new ModuleRoute(module, steps, direct, checksum, reason);
    }
}
