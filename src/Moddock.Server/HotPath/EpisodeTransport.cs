using System.IO.Pipelines;

namespace Moddock.Server.HotPath;

/// <summary>The transport Kestrel sees during a <see cref="KestrelEpisode"/>: the episode's two pipes.</summary>
internal sealed class EpisodeTransport(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input => input;

    public PipeWriter Output => output;
}
