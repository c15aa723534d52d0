namespace Moddock.Server.HotPath;

/// <summary>A request head the hot path accepted: GET or HEAD of an origin-form target over HTTP/1.1.</summary>
/// <param name="IsHead">HEAD: the same status and headers, no body.</param>
/// <param name="Target">The raw request target, byte for byte as Kestrel's RawTarget would give it.</param>
/// <param name="Close">The client sent "Connection: close"; the response says so and the connection ends after it.</param>
/// <param name="HeadLength">Bytes of the head, its final blank line included.</param>
/// <param name="Rejection">For <see cref="HotParseStatus.Reject"/>: why the target is refused, one line.</param>
/// <param name="Status">For <see cref="HotParseStatus.Reject"/>: 400, or 414 for a request line too long for Kestrel.</param>
internal readonly record struct HotRequest(bool IsHead, string Target, bool Close, int HeadLength, string? Rejection = null, int Status = 400);
