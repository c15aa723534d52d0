namespace Moddock.Modules.Zip;

/// <summary>
/// The `go` version of a module's root go.mod, which picks the vendor rule (x/mod zip parseGoVers,
/// which parses leniently and treats any failure as "no version").
/// </summary>
internal static class RootGoVersion
{
    public static string? FromGoMod(ReadOnlySpan<byte> goMod)
    {
        // TEMPORARY until GoModFile lands from `modules`: a plain scan for the go line.
        var text = System.Text.Encoding.UTF8.GetString(goMod);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("go ", StringComparison.Ordinal))
            {
                return line[3..].Trim();
            }
        }

        return null;
    }

    /// <summary>Reads at most the go.mod size limit: a larger go.mod makes the zip invalid anyway.</summary>
    public static string? FromStream(Stream stream)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int n;
        while (buffer.Length <= ZipLimits.MaxGoMod && (n = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, n);
        }

        return FromGoMod(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }
}
