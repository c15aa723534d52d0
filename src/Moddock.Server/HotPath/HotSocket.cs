using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Moddock.Server.HotPath;

/// <summary>
/// Writes on the connection's socket, past Kestrel's output pipe: whole buffers, gathered pipe
/// segments (the forwarded responses of <see cref="KestrelEpisode"/>), and a head plus a file with
/// sendfile(2). Only one writer at a time: the hot path and the episode's pump take turns by
/// request, never overlap (see <see cref="HotConnection"/>).
/// </summary>
internal sealed class HotSocket(Socket socket) : IDisposable
{
    private const int IpProtoTcp = 6;
    private const int TcpCork = 3;

    private static readonly byte[] CorkOn = BitConverter.GetBytes(1);
    private static readonly byte[] CorkOff = BitConverter.GetBytes(0);

    private SocketAsyncEventArgs? _packets;
    private List<ArraySegment<byte>>? _gather;

    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None);
            bytes = bytes[sent..];
        }
    }

    /// <summary>
    /// A pipe's buffer in one sendmsg where its segments are arrays (Kestrel's pool blocks are), so a
    /// forwarded zip in 4 KiB blocks does not cost a system call per block.
    /// </summary>
    public async ValueTask SendAsync(ReadOnlySequence<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (bytes.IsSingleSegment)
            {
                await SendAsync(bytes.First);
                return;
            }

            var gather = _gather ??= [];
            gather.Clear();
            foreach (var segment in bytes)
            {
                if (!MemoryMarshal.TryGetArray(segment, out var array))
                {
                    break;
                }

                gather.Add(array);
            }

            if (gather.Count == 0)
            {
                await SendAsync(bytes.First);
                bytes = bytes.Slice(bytes.First.Length);
                continue;
            }

            var sent = await socket.SendAsync(gather, SocketFlags.None);
            gather.Clear();
            bytes = bytes.Slice(sent);
        }
    }

    /// <summary>The head from memory, then the file with sendfile(2), in one SendPackets operation.</summary>
    public Task SendFileAsync(byte[] head, int headLength, FileStream file, int length)
    {
        var packets = _packets ??= NewPacketsArgs();
        packets.SendPacketsElements =
        [
            new SendPacketsElement(head, 0, headLength),
            new SendPacketsElement(file, 0, length, endOfPacket: true),
        ];
        var done = new TaskCompletionSource<SocketError>(TaskCreationOptions.RunContinuationsAsynchronously);
        packets.UserToken = done;
        SetCork(socket, CorkOn);
        if (!socket.SendPacketsAsync(packets))
        {
            done.TrySetResult(packets.SocketError);
        }

        return CompleteSendFileAsync(done.Task, packets, headLength + (long)length, socket);
    }

    public void Dispose() => _packets?.Dispose();

    private static async Task CompleteSendFileAsync(Task<SocketError> done, SocketAsyncEventArgs packets, long expected, Socket socket)
    {
        var error = await done;
        SetCork(socket, CorkOff);

        packets.SendPacketsElements = null;
        if (error != SocketError.Success)
        {
            throw new SocketException((int)error);
        }

        if (packets.BytesTransferred != expected)
        {
            throw new IOException($"sent {packets.BytesTransferred} of {expected} bytes");
        }
    }

    /// <summary>
    /// Linux TCP_CORK around head + sendfile, as nginx's tcp_nopush: the head waits for the file's
    /// first bytes and leaves in the same full-sized segments instead of a small packet of its own
    /// (Kestrel sets TCP_NODELAY). Measured 0.80–0.90× → 0.87–1.20× nginx on a 1 MiB zip (bench/serve/notes.md).
    /// Uncorking flushes the last partial segment; on a broken socket there is nothing left to flush.
    /// </summary>
    private static void SetCork(Socket socket, byte[] value)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            socket.SetRawSocketOption(IpProtoTcp, TcpCork, value);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The send that follows (or just failed) reports the broken connection.
        }
    }

    private static SocketAsyncEventArgs NewPacketsArgs()
    {
        var args = new SocketAsyncEventArgs();
        args.Completed += static (_, e) => ((TaskCompletionSource<SocketError>)e.UserToken!).TrySetResult(e.SocketError);
        return args;
    }
}
