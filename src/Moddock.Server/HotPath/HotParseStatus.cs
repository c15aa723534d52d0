namespace Moddock.Server.HotPath;

/// <summary>What <see cref="HotRequestParser"/> made of the bytes received so far.</summary>
internal enum HotParseStatus
{
    /// <summary>A whole request head the hot path may answer.</summary>
    Complete,

    /// <summary>No end of the head yet; read more.</summary>
    Incomplete,

    /// <summary>Anything outside the hot path's narrow grammar: Kestrel gets the connection, unread.</summary>
    HandOver,

    /// <summary>
    /// A GET/HEAD whose target Kestrel would refuse with a bare 400 and no body (a raw space or a
    /// byte above 0x7F or a raw NUL in it, an escaped NUL in its path): answered 400 with the reason, then closed.
    /// </summary>
    Reject,
}
