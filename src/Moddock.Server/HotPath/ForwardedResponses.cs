using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Moddock.Server.HotPath;

/// <summary>
/// The HTTP-level half of <see cref="KestrelEpisode"/>: first in the request pipeline, it tells the
/// connection's episode (found in the connection's items) when Kestrel has finished a response.
/// Kestrel raises Response.OnCompleted after it wrote the response's end (its ProduceEnd), so every
/// byte of that response is committed to the episode's output by then. Requests on connections
/// without an episode (TLS, a handed-over connection, the hot path off) pass through untouched.
/// </summary>
internal static class ForwardedResponses
{
    public static Task TrackAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<IConnectionItemsFeature>()?.Items is { } items
            && items.TryGetValue(KestrelEpisode.ItemKey, out var value)
            && value is KestrelEpisode episode)
        {
            context.Response.OnCompleted(static state =>
            {
                var (episode, context) = ((KestrelEpisode, HttpContext))state;
                episode.OnResponseCompleted(SaysClose(context.Response.Headers.Connection));
                return Task.CompletedTask;
            }, (episode, context));
        }

        return next(context);
    }

    private static bool SaysClose(StringValues connection)
    {
        foreach (var value in connection)
        {
            foreach (var option in (value ?? string.Empty).Split(','))
            {
                if (option.Trim().Equals("close", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
