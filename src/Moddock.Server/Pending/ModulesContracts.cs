// TEMPORARY stand-ins for the Moddock.Modules contract types (docs/CONTRACTS.md) until the
// `modules` branch has them (GoProxyList); this file is deleted on merge. Only what the Server needs, simplified.
#pragma warning disable CA1034, CA1716, CA1724, CA1819, CA1000, CA1305, CA1307, CA1308, CA1310, CA1062, CA1065
namespace Moddock.Modules;

public enum ProxyEntryKind { Url, Direct, Off, NoProxy }

public sealed record ProxyEntry(ProxyEntryKind Kind, string? Url, bool FallBackOnAnyError);

public static class GoProxyList
{
    public static bool TryParse(string value, out IReadOnlyList<ProxyEntry> entries, out ModuleError? error)
    {
        var list = new List<ProxyEntry>();
        entries = list;
        error = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            value = "https://proxy.golang.org,direct";
        }

        var i = 0;
        while (i < value.Length)
        {
            var j = value.IndexOfAny([',', '|'], i);
            var item = (j < 0 ? value[i..] : value[i..j]).Trim();
            var anyError = j >= 0 && value[j] == '|';
            i = j < 0 ? value.Length : j + 1;
            if (item.Length == 0)
            {
                continue;
            }

            if (item == "off")
            {
                list.Add(new ProxyEntry(ProxyEntryKind.Off, null, anyError));
                break;
            }

            if (item == "direct")
            {
                list.Add(new ProxyEntry(ProxyEntryKind.Direct, null, anyError));
                break;
            }

            if (!item.Contains(":/", StringComparison.Ordinal) && (item.Contains('.') || item.Contains(':') || item.Contains('/')) && !item.StartsWith('/'))
            {
                item = "https://" + item;
            }

            if (!Uri.TryCreate(item, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https" or "file"))
            {
                error = new ModuleError(ModuleErrorKind.Other, $"invalid proxy URL \"{item}\"");
                return false;
            }

            list.Add(new ProxyEntry(ProxyEntryKind.Url, item, anyError));
        }

        if (list.Count == 0)
        {
            error = new ModuleError(ModuleErrorKind.Other, "GOPROXY list is not the empty string, but contains no entries");
            return false;
        }

        return true;
    }
}
