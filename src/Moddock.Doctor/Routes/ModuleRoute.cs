using Moddock.Modules;

namespace Moddock.Doctor.Routes;

/// <summary>
/// The way the go command would fetch one module: the GOPROXY entries in order with the separator after
/// each, whether it goes direct (GONOPROXY, or `direct` in the list), and whether the checksum database is asked.
/// </summary>
internal sealed record ModuleRoute(string Module, IReadOnlyList<ProxyEntry> Steps, bool DirectByPattern, bool ChecksumDb, string SumdbReason)
{
    public bool StartsDirect => DirectByPattern || (Steps.Count > 0 && Steps[0].Kind == ProxyEntryKind.Direct);

    public bool UsesDirect => DirectByPattern || Steps.Any(s => s.Kind == ProxyEntryKind.Direct);

    public string Describe()
    {
        if (DirectByPattern)
        {
            return "direct (GONOPROXY matches; proxies are skipped)" + "; " + SumdbReason;
        }

        var parts = new List<string>();
        for (var i = 0; i < Steps.Count; i++)
        {
            var s = Steps[i];
            var text = s.Kind switch
            {
                ProxyEntryKind.Url => Reporting.SecretRedactor.Redact(s.Url),
                ProxyEntryKind.Direct => "direct",
                ProxyEntryKind.Off => "off (stop)",
                _ => string.Empty,
            };
            if (i < Steps.Count - 1 && s.Kind == ProxyEntryKind.Url)
            {
                text += s.FallBackOnAnyError ? " |any error→ " : " ,404/410→ ";
                parts.Add(text);
            }
            else
            {
                parts.Add(text);
            }
        }

        return string.Concat(parts) + "; " + SumdbReason;
    }
}
