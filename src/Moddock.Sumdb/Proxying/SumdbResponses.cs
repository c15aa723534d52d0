using System.Text;

namespace Moddock.Sumdb.Proxying;

/// <summary>Builders for <see cref="SumdbResponse"/> values (text bodies end in a newline, Go-style).</summary>
internal static class SumdbResponses
{
    public const string Text = "text/plain; charset=UTF-8";
    public const string Binary = "application/octet-stream";

    public static SumdbResponse Ok(byte[] body, string type, bool fromCache) => new(200, type, body, fromCache);

    public static SumdbResponse Error(int status, string reason) => new(status, Text, Encoding.UTF8.GetBytes(reason.TrimEnd('\n') + "\n"), false);
}
