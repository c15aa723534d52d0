namespace Moddock.Sumdb;

/// <summary>
/// Splits the part of a request path after "/sumdb/" into the database name (which may itself contain '/',
/// e.g. "moddock.internal/private") and the rest ("supported", "latest", "lookup/M@V", "tile/...").
/// For Moddock.Server's /sumdb/{name}/{**rest} route.
/// </summary>
public static class SumdbRequestPath
{
    private static readonly string[] Verbs = ["/supported", "/latest", "/lookup/", "/tile/"];

    public static bool TrySplit(string afterSumdb, out string name, out string rest)
    {
        name = "";
        rest = "";
        var cut = -1;
        foreach (var verb in Verbs)
        {
            var i = afterSumdb.IndexOf(verb, StringComparison.Ordinal);
            var exact = verb.EndsWith('/') || i + verb.Length == afterSumdb.Length;
            if (i > 0 && exact && (cut < 0 || i < cut))
            {
                cut = i;
            }
        }

        if (cut <= 0)
        {
            return false;
        }

        name = afterSumdb[..cut];
        rest = afterSumdb[(cut + 1)..];
        return true;
    }
}
