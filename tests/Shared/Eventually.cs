namespace Moddock.Testing;

/// <summary>Waits for something another thread does (a flight ending, a read being asked for), bounded.</summary>
internal static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds; throws when it has not within 20 s.</summary>
    public static async Task TrueAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
