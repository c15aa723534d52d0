namespace Moddock.EndToEnd.Tests.Serve.Support;

/// <summary>
/// Waits (bounded) for a file the server stores after answering: a miss is answered once verified, and its durable
/// commit (for a zip: reading back its digest, fsync, rename, directory fsync) follows beside the answer, so a test
/// that needs the stored copy (a hit, or a file to damage) must wait for it rather than for the answer.
/// </summary>
internal static class StoredFile
{
    /// <param name="length">The whole length to wait for, or null for "in place" (a commit is a rename: whole).</param>
    public static async Task WaitAsync(string path, long? length = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(File.Exists(path) && (length is null || new FileInfo(path).Length == length)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the stored file never appeared whole at " + path);
            await Task.Delay(20);
        }
    }
}
