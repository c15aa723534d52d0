using System.Text;

namespace Moddock.Server.Endpoints;

/// <summary>
/// Every error is a short text/plain body: the go command prints up to 8 lines / 648 bytes of
/// it, stopping at the first blank line (cmd/go/internal/web), so the reason is one line.
/// </summary>
internal static class ErrorResponse
{
    private const int MaxReasonBytes = 600;

    public static Task WriteAsync(HttpContext context, int status, string reason)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        var line = reason.ReplaceLineEndings(" ");
        if (line.Length > MaxReasonBytes)
        {
            line = line[..MaxReasonBytes] + "...";
        }

        var body = Encoding.UTF8.GetBytes(line + "\n");
        response.ContentLength = body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }
}
