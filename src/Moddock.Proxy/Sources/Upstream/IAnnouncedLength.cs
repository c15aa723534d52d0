namespace Moddock.Proxy.Sources.Upstream;

/// <summary>
/// Implemented by a zip destination that streams to clients while it is written: the source tells it
/// the upstream's Content-Length as soon as the headers arrive, so the answer can start early.
/// </summary>
internal interface IAnnouncedLength
{
    void Announce(long? length);
}
