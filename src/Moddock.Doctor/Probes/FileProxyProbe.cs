using Moddock.Doctor.Reporting;

namespace Moddock.Doctor.Probes;

/// <summary>A file:// GOPROXY entry: a missing file is a 404 and no permission a 403, as in cmd/go.</summary>
internal static class FileProxyProbe
{
    public static DoctorCheck Probe(ProbeTarget target)
    {
        var root = target.BaseUrl.LocalPath;
        var file = Path.Combine(root, target.RequestPath ?? string.Empty);
        var name = "file " + file;
        if (!Directory.Exists(root))
        {
            return new DoctorCheck(name, target.Label, Where.Proxy, target.FallsBackOnNotFound ? CheckStatus.Warn : CheckStatus.Fail, CauseIds.HttpNotFound,
                $"{root} {(File.Exists(root.TrimEnd('/')) ? "is a file, not a directory" : "does not exist")}: every lookup is \"not found\"", "ls -ld " + root, 0);
        }

        try
        {
            using var s = File.OpenRead(file);
            return DoctorCheck.Ok(name, target.Label, "readable", 0, Where.Proxy);
        }
        catch (UnauthorizedAccessException)
        {
            return new DoctorCheck(name, target.Label, Where.Proxy, CheckStatus.Fail, CauseIds.HttpForbidden, $"{file}: permission denied (403 for the go command)", "ls -l " + file, 0);
        }
        catch (IOException)
        {
            return new DoctorCheck(name, target.Label, Where.Proxy, target.FallsBackOnNotFound ? CheckStatus.Warn : CheckStatus.Fail, CauseIds.HttpNotFound,
                $"{file} does not exist (404 for the go command)", FixSuggestions.For(CauseIds.HttpNotFound, Where.Proxy, new FixContext(null, target.Module, null, null)), 0);
        }
    }
}
