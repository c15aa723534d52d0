namespace Moddock.Server.Health;

/// <summary>Proves the storage root takes writes the way the store makes them: create a temp file, rename it, delete it.</summary>
internal static class StorageProbe
{
    public static string? CheckWritable(string root)
    {
        try
        {
            Directory.CreateDirectory(root);
            var probe = Path.Combine(root, ".readyz-" + Guid.NewGuid().ToString("N"));
            File.WriteAllBytes(probe + ".tmp", [1]);
            File.Move(probe + ".tmp", probe);
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }
}
