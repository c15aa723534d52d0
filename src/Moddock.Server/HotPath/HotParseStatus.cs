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
}
